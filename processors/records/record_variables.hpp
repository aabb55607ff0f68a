// A record's fields as expression variables: `${kwh}` is the top-level field, `${'/reading/kwh'}` a record
// path; names that are not fields fall back to the FlowFile's attributes.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "sluice/expression.hpp"
#include "sluice/record.hpp"

namespace sluice::records {

class RecordVariables final : public VariableSource {
 public:
  RecordVariables(const Record& record, const FlowFile& flowfile) : record_(record), attributes_(flowfile) {}

  std::optional<std::string_view> lookup(std::string_view name, std::string& scratch) const override;
  void for_each(const std::function<void(std::string_view, std::string_view)>& fn) const override;

 private:
  const Record& record_;
  FlowFileVariables attributes_;
};

}  // namespace sluice::records
