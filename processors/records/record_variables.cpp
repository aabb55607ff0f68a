#include "record_variables.hpp"

namespace sluice::records {

std::optional<std::string_view> RecordVariables::lookup(std::string_view name, std::string& scratch) const {
  const Value* v = nullptr;
  if (!name.empty() && name[0] == '/') {
    try {
      v = RecordPath::compile(name).get(record_);
    } catch (const std::invalid_argument&) {
      v = nullptr;
    }
  } else {
    v = record_.find(name);
  }
  if (v != nullptr) {
    if (v->is_null()) return std::nullopt;
    scratch.clear();
    append_text(*v, scratch);
    return std::string_view(scratch);
  }
  return attributes_.lookup(name, scratch);
}

void RecordVariables::for_each(const std::function<void(std::string_view, std::string_view)>& fn) const {
  std::string text;
  const auto fields = record_.fields();
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].is_null()) continue;
    text.clear();
    append_text(fields[i], text);
    fn(record_.schema().fields[i].name, text);
  }
}

}  // namespace sluice::records
