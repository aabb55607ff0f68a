// Writes the Parquet files the JavaScript readers check, with the real writer:
//   parquet_fixture_writer DIR                  the named fixture cases
//   parquet_fixture_writer DIR --fuzz N SEED    N random cases from SEED
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

#include "fixture_cases.hpp"

int main(int argc, char** argv) {
  try {
    if (argc == 2) {
      sluice::parquet::fixtures::write_fixture_cases(argv[1]);
    } else if (argc == 5 && std::string(argv[2]) == "--fuzz") {
      sluice::parquet::fixtures::write_fuzz_cases(argv[1], std::stoull(argv[4]), std::stoi(argv[3]));
    } else {
      std::cerr << "usage: " << argv[0] << " DIR [--fuzz COUNT SEED]\n";
      return 2;
    }
  } catch (const std::exception& e) {
    std::cerr << "parquet_fixture_writer: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
