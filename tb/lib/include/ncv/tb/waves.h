// Wave-file helpers.
#pragma once

#include <string>

namespace ncv::tb {

// FST writers stamp the header with the wall-clock date, so two runs of the same seed
// would differ in those bytes. Replaces the date field of a closed FST file with a fixed
// text, making the file a function of the run alone. Throws std::runtime_error if the
// file does not start with an FST header block.
void fst_fix_date(const std::string &path);

}  // namespace ncv::tb
