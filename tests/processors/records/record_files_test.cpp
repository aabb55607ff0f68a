// Runs every tests/records/*.test file: an input in one format, read and written in another, compared with
// the expected output and the expected invalid-record reasons. File layout:
//
//   reader: csv header=true          (format, then key=value options)
//   writer: json format=lines
//   --- schema                       (optional: the reader's Avro schema)
//   --- input
//   --- output
//   --- errors                       (one "position: reason" line per invalid record)
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "record_test_support.hpp"

namespace sluice::records::test {
namespace {

namespace fs = std::filesystem;

struct Case {
  std::string reader_format;
  Options reader_options;
  std::string writer_format;
  Options writer_options;
  std::map<std::string, std::string> sections;
};

void parse_header_line(const std::string& line, std::string& format, Options& options) {
  std::istringstream in(line.substr(line.find(':') + 1));
  in >> format;
  std::string kv;
  while (in >> kv) {
    const auto eq = kv.find('=');
    options[kv.substr(0, eq)] = eq == std::string::npos ? "true" : kv.substr(eq + 1);
  }
}

Case load(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string line;
  Case c;
  std::string section;
  while (std::getline(in, line)) {
    if (line.rfind("--- ", 0) == 0) {
      section = line.substr(4);
      c.sections[section];
      continue;
    }
    if (section.empty()) {
      if (line.rfind("reader:", 0) == 0) parse_header_line(line, c.reader_format, c.reader_options);
      if (line.rfind("writer:", 0) == 0) parse_header_line(line, c.writer_format, c.writer_options);
      continue;
    }
    c.sections[section] += line + "\n";
  }
  return c;
}

std::vector<fs::path> files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(fs::path(SLUICE_TEST_DATA_DIR) / "records")) {
    if (e.path().extension() == ".test") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class RecordFiles : public ::testing::TestWithParam<fs::path> {};

TEST_P(RecordFiles, ConvertsAsExpected) {
  Case c = load(GetParam());
  ASSERT_FALSE(c.reader_format.empty()) << "no reader: line";
  if (c.sections.count("schema") != 0) c.reader_options["schema"] = c.sections["schema"];
  std::string input = c.sections["input"];
  if (c.reader_options.count("no_final_newline") != 0 && !input.empty()) input.pop_back();
  auto to_crlf = [](const std::string& text) {
    std::string crlf;
    for (char ch : text) {
      if (ch == '\n') crlf += '\r';
      crlf += ch;
    }
    return crlf;
  };
  if (c.reader_options.count("crlf") != 0) input = to_crlf(input);
  if (option(c.writer_options, "line_end", "lf") == "crlf")
    c.sections["output"] = to_crlf(c.sections["output"]);
  auto result = convert(input, c.reader_format, c.reader_options, c.writer_format, c.writer_options);
  EXPECT_EQ(result.output, c.sections["output"]);
  std::string errors;
  for (const auto& e : result.errors) errors += e + "\n";
  EXPECT_EQ(errors, c.sections["errors"]);
}

INSTANTIATE_TEST_SUITE_P(Data, RecordFiles, ::testing::ValuesIn(files()),
                         [](const ::testing::TestParamInfo<fs::path>& param) {
                           std::string name = param.param.stem().string();
                           for (char& ch : name) {
                             if (std::isalnum(static_cast<unsigned char>(ch)) == 0) ch = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace sluice::records::test
