// Smart-meter CSV rows for the record benchmarks, in memory: the same shape as bench/records/meter_gen.
#pragma once

#include <cstdint>
#include <string>

namespace sluice::records::bench {

inline std::string meter_csv(int rows) {
  std::string out = "meter_id,ts,kwh,voltage,current,status,notes\n";
  std::uint64_t x = 42;
  auto next = [&x]() {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return x >> 33;
  };
  for (int i = 0; i < rows; ++i) {
    out += "M" + std::to_string(1000000 + next() % 1000) + ",2024-03-01T" + std::to_string(10 + i % 14) +
           ":" + std::to_string(10 + i % 50) + ":00Z," + std::to_string(next() % 50) + "." +
           std::to_string(100 + next() % 900) + ",2" + std::to_string(20 + next() % 20) + ".5," +
           std::to_string(next() % 40) + ".25,OK,";
    std::string notes;
    while (notes.size() < 820) notes += "reading grid phase load peak tariff ";
    if (i % 4 == 0) {
      out += "\"" + notes + ", see ticket\"";
    } else {
      out += notes;
    }
    out += '\n';
  }
  return out;
}

}  // namespace sluice::records::bench
