// The per-field rules ValidateRecord applies: `min=0; max=100; not_null; regex=^M\d+$; allowed=OK,FAULT`.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/record.hpp"

namespace sluice::records {

class FieldRules {
 public:
  // Parses `rules` for the field at `path`. Throws std::invalid_argument naming the bad rule.
  FieldRules(std::string_view path, std::string_view rules);

  // The first rule `record` breaks, as "/kwh: max=100: value 123.4", or nullopt.
  [[nodiscard]] std::optional<std::string> check(const Record& record) const;

 private:
  RecordPath path_;
  bool not_null_ = false;
  std::optional<double> min_;
  std::optional<double> max_;
  std::string min_text_;
  std::string max_text_;
  std::optional<std::regex> regex_;
  std::string regex_text_;
  std::vector<std::string> allowed_;
  std::string allowed_text_;
};

}  // namespace sluice::records
