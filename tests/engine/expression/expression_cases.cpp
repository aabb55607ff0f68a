#include "expression_cases.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace sluice::testing {

namespace {

namespace fs = std::filesystem;

std::string json_string(const std::string& text, const std::string& where) {
  try {
    return nlohmann::json::parse(text).get<std::string>();
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("{}: not a JSON string: {} ({})", where, text, e.what()));
  }
}

void parse_file(const fs::path& path, const std::string& name, std::vector<ExpressionCase>& out) {
  std::ifstream in(path);
  std::map<std::string, std::string, std::less<>> attributes;
  std::int64_t now_ms = 1'700'000'000'000;
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    const std::string where = fmt::format("{}:{}", name, number);
    if (line.empty() || line[0] == '#') continue;
    if (line.starts_with("attr ") || line.starts_with("attrjson ")) {
      const bool json = line.starts_with("attrjson ");
      const std::string rest = line.substr(json ? 9 : 5);
      const std::size_t eq = rest.find(" =");
      if (eq == std::string::npos) throw std::runtime_error(where + ": expected 'attr NAME = VALUE'");
      std::string value = eq + 3 <= rest.size() ? rest.substr(eq + 3) : "";
      attributes[rest.substr(0, eq)] = json ? json_string(value, where) : value;
      continue;
    }
    if (line.starts_with("unset ")) {
      attributes.erase(line.substr(6));
      continue;
    }
    if (line == "clear") {
      attributes.clear();
      continue;
    }
    if (line.starts_with("now ")) {
      now_ms = std::stoll(line.substr(4));
      continue;
    }
    ExpressionCase c;
    c.file = name;
    c.line = number;
    c.attributes = attributes;
    c.now_ms = now_ms;
    struct Separator {
      std::string_view text;
      ExpressionCase::Kind kind;
      bool json;
    };
    static constexpr Separator kSeparators[] = {{" =>json ", ExpressionCase::Kind::kResult, true},
                                                {" =>? ", ExpressionCase::Kind::kBool, false},
                                                {" => ", ExpressionCase::Kind::kResult, false},
                                                {" !! ", ExpressionCase::Kind::kError, false}};
    std::size_t best = std::string::npos;
    const Separator* found = nullptr;
    for (const auto& s : kSeparators) {
      const std::size_t at = line.find(s.text);
      if (at < best) {
        best = at;
        found = &s;
      }
    }
    if (found == nullptr && line.ends_with(" =>")) {  // an empty expected result
      c.expression = line.substr(0, line.size() - 3);
      out.push_back(std::move(c));
      continue;
    }
    if (found == nullptr)
      throw std::runtime_error(where + ": expected EXPRESSION => RESULT (or =>?, =>json, !!)");
    c.kind = found->kind;
    c.expression = line.substr(0, best);
    std::string expected = line.substr(best + found->text.size());
    if (found->json) expected = json_string(expected, where);
    if (c.kind == ExpressionCase::Kind::kError) {
      const std::size_t colon = expected.find(": ");
      if (colon == std::string::npos) throw std::runtime_error(where + ": expected '!! COLUMN: message'");
      c.error_column = std::stoul(expected.substr(0, colon));
      expected = expected.substr(colon + 2);
    }
    c.expected = expected;
    out.push_back(std::move(c));
  }
}

}  // namespace

std::vector<ExpressionCase> load_expression_cases() {
  const fs::path dir = fs::path(SLUICE_TEST_DATA_DIR) / "expression";
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".test") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<ExpressionCase> cases;
  for (const auto& f : files) parse_file(f, "expression/" + f.filename().string(), cases);
  return cases;
}

}  // namespace sluice::testing
