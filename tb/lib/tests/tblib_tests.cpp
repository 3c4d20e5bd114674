#define BOOST_TEST_MODULE tblib
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "ncv/tb/errors.h"
#include "ncv/tb/log.h"
#include "ncv/tb/plusargs.h"
#include "ncv/tb/result.h"
#include "ncv/tb/rng.h"

using namespace ncv::tb;

BOOST_AUTO_TEST_SUITE(plusargs)

BOOST_AUTO_TEST_CASE(parses_flags_values_and_positionals) {
  Plusargs a(std::vector<std::string>{"+waves", "+seed=0x10", "+test=boot", "extra"});
  BOOST_TEST(a.has("waves"));
  BOOST_TEST(a.get_u64("seed", 0) == 16u);
  BOOST_TEST(a.get_or("test", "") == "boot");
  BOOST_TEST(a.get_or("missing", "d") == "d");
  BOOST_TEST(a.positional().size() == 1u);
}

BOOST_AUTO_TEST_CASE(rejects_unknown_and_malformed) {
  Plusargs a(std::vector<std::string>{"+sed=3"});
  a.declare("seed", "run seed");
  BOOST_CHECK_THROW(a.check_known(), UsageError);
  Plusargs b(std::vector<std::string>{"+seed=12x"});
  BOOST_CHECK_THROW(b.get_u64("seed", 0), UsageError);
  BOOST_CHECK_THROW(Plusargs(std::vector<std::string>{"+=3"}), UsageError);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(rng)

BOOST_AUTO_TEST_CASE(same_seed_and_path_same_stream) {
  Rng a(42, "tile.q0"), b(42, "tile.q0");
  for (int i = 0; i < 100; ++i) BOOST_TEST(a.next() == b.next());
}

BOOST_AUTO_TEST_CASE(paths_and_seeds_give_different_streams) {
  Rng a(42, "tile.q0"), b(42, "tile.q1"), c(43, "tile.q0");
  const uint64_t x = a.next();
  BOOST_TEST(x != b.next());
  BOOST_TEST(x != c.next());
}

BOOST_AUTO_TEST_CASE(range_is_inclusive_and_covers) {
  Rng r(7, "range");
  std::set<uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    const uint64_t v = r.range(3, 9);
    BOOST_REQUIRE(v >= 3 && v <= 9);
    seen.insert(v);
  }
  BOOST_TEST(seen.size() == 7u);
  BOOST_CHECK_THROW(r.range(5, 4), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(log_and_result)

BOOST_AUTO_TEST_CASE(signature_strips_numbers_hex_and_paths) {
  BOOST_TEST(normalise_signature("chip3 CONFIG0: expected 0x00010404, got 0x00010808 at /tmp/x/y.sv") ==
             "chip<n> CONFIG<n>: expected <hex>, got <hex> at <path>");
  BOOST_TEST(normalise_signature("timeout after 1200 cycles") == normalise_signature("timeout after 7 cycles"));
}

BOOST_AUTO_TEST_CASE(first_error_sets_signature) {
  Log &l = Log::get();
  l.set_echo(false);
  l.reset_counts();
  l.info("A", "fine");
  BOOST_TEST(l.errors() == 0u);
  l.error("TB.X", "value 5 wrong");
  l.error("TB.Y", "later");
  BOOST_TEST(l.errors() == 2u);
  BOOST_TEST(l.signature() == "TB.X: value <n> wrong");
  l.reset_counts();
  l.set_echo(true);
}

BOOST_AUTO_TEST_CASE(result_json_escapes_hostile_text) {
  RunResult r;
  r.test = "t\"1";
  r.first_error = "line\n<script>\x01";
  const std::string j = r.to_json();
  BOOST_TEST(j.find("\"t\\\"1\"") != std::string::npos);
  BOOST_TEST(j.find("line\\n<script>\\u0001") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

#include "ncv/tb/waves.h"

BOOST_AUTO_TEST_CASE(fst_fix_date_rewrites_only_the_date_and_refuses_non_fst) {
  const std::string p = "tblib_test.fst";
  std::string bytes(400, '\0');
  bytes[0] = 0;  // header block
  const std::string date = "Sun Nov 22 00:15:52 2026\n";
  bytes.replace(202, date.size(), date);
  bytes[399] = 'Z';
  { std::ofstream(p, std::ios::binary) << bytes; }
  fst_fix_date(p);
  std::ifstream in(p, std::ios::binary);
  std::string after((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  BOOST_TEST(after.size() == 400u);
  BOOST_TEST(after.substr(202, 13) == "(date omitted");
  BOOST_TEST(after[399] == 'Z');
  BOOST_TEST(after.substr(0, 202) == bytes.substr(0, 202));
  { std::ofstream(p, std::ios::binary) << std::string(400, 'x'); }
  BOOST_CHECK_THROW(fst_fix_date(p), std::runtime_error);
}
