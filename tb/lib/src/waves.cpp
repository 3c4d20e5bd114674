#include "ncv/tb/waves.h"

#include <cstring>
#include <fstream>
#include <stdexcept>

namespace ncv::tb {

// FST header block layout (GTKWave's fstapi): block type (1 byte, 0 = header), section
// length (8), start time, end time, endianness double, memory used, scope count, var
// count, max handle, value-change section count (8 each), timescale (1), simulator
// version (128), date (119).
static constexpr std::streamoff kDateOffset = 1 + 8 * 9 + 1 + 128;
static constexpr size_t kDateSize = 119;

void fst_fix_date(const std::string &path) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  if (!f) throw std::runtime_error("cannot open wave file '" + path + "'");
  char type = 1;
  f.read(&type, 1);
  char date[kDateSize];
  f.seekg(kDateOffset);
  f.read(date, kDateSize);
  if (!f || type != 0 || date[kDateSize - 1] != 0) {
    throw std::runtime_error("'" + path + "' does not start with an FST header block");
  }
  std::memset(date, 0, kDateSize);
  const char fixed[] = "(date omitted by ncv: same seed, same bytes)\n";
  std::memcpy(date, fixed, sizeof fixed - 1);
  f.seekp(kDateOffset);
  f.write(date, kDateSize);
  if (!f) throw std::runtime_error("cannot write wave file '" + path + "'");
}

}  // namespace ncv::tb
