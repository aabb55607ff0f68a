// The Parquet cases the JavaScript readers check: fixed ones (readers_test.mjs) and random ones
// (fuzz_test.mjs). Each writes DIR/NAME.parquet and DIR/NAME.json.
#pragma once

#include <cstdint>
#include <string>

namespace sluice::parquet::fixtures {

void write_fixture_cases(const std::string& dir);
// `count` files of random schemas, options and rows from `seed` (case i uses seed + i).
void write_fuzz_cases(const std::string& dir, std::uint64_t seed, int count);

}  // namespace sluice::parquet::fixtures
