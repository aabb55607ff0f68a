// Every tests/flows/invalid/*.yaml states its exact diagnostics in `# expect: LINE:COL: message` comments;
// every tests/flows/valid/*.yaml must give none. Adding a case is adding a file.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "config/flow_loader.hpp"
#include "test_registry.hpp"

namespace sluice::internal {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> fixtures(const std::string& kind) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(SLUICE_TEST_DATA_DIR) / "flows" / kind)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> expected_lines(const fs::path& file) {
  static constexpr std::string_view kPrefix = "# expect: ";
  std::vector<std::string> lines;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(kPrefix)) lines.push_back(line.substr(kPrefix.size()));
  }
  return lines;
}

std::vector<std::string> actual_lines(const fs::path& file) {
  std::vector<std::string> lines;
  for (const auto& d : load_flow_file(file, config_test::test_registry()).diagnostics) {
    EXPECT_EQ(d.pos.file, file.string()) << d.str();
    lines.push_back(d.pos.line > 0 ? fmt::format("{}:{}: {}", d.pos.line, d.pos.column, d.message)
                                   : d.message);
  }
  return lines;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += "  " + line + "\n";
  return out;
}

TEST(FlowFixtures, InvalidFlowsGiveExactlyTheExpectedDiagnostics) {
  const auto files = fixtures("invalid");
  ASSERT_FALSE(files.empty());
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    const auto expected = expected_lines(file);
    ASSERT_FALSE(expected.empty()) << "fixture has no '# expect: ' lines";
    const auto actual = actual_lines(file);
    EXPECT_EQ(actual, expected) << "actual:\n" << joined(actual) << "expected:\n" << joined(expected);
  }
}

TEST(FlowFixtures, ValidFlowsGiveNoDiagnostics) {
  const auto files = fixtures("valid");
  ASSERT_FALSE(files.empty());
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    const auto actual = actual_lines(file);
    EXPECT_TRUE(actual.empty()) << joined(actual);
  }
}

}  // namespace
}  // namespace sluice::internal
