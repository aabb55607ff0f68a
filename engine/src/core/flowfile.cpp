// The SDK's FlowFile handle over the engine's record. Core attributes are computed, not stored.
#include "sluice/flowfile.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "core/flowfile_record.hpp"

namespace sluice {

AttributeValue AttributeValue::inline_copy(std::string_view text) {
  AttributeValue v;
  const std::size_t n = std::min(text.size(), v.inline_.size());
  std::memcpy(v.inline_.data(), text.data(), n);
  v.view_ = std::string_view(v.inline_.data(), n);
  return v;
}

AttributeValue& AttributeValue::operator=(const AttributeValue& other) {
  if (this == &other) return *this;
  inline_ = other.inline_;
  const bool points_inline = other.view_.data() >= other.inline_.data() &&
                             other.view_.data() < other.inline_.data() + other.inline_.size();
  view_ = points_inline ? std::string_view(inline_.data() + (other.view_.data() - other.inline_.data()),
                                           other.view_.size())
                        : other.view_;
  return *this;
}

namespace {
AttributeValue number_value(std::int64_t n) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  return AttributeValue::inline_copy(std::string_view(buf, static_cast<std::size_t>(end - buf)));
}
}  // namespace

std::string FlowFile::uuid() const {
  return internal::uuid_to_string(record_->uuid);
}
std::uint64_t FlowFile::size() const {
  return record_->size();
}
std::int64_t FlowFile::entry_date_ms() const {
  return record_->entry_ms;
}
std::int64_t FlowFile::lineage_start_ms() const {
  return record_->lineage_start_ms;
}
std::int64_t FlowFile::penalty_until_ms() const {
  return record_->penalty_until_ms;
}

std::optional<AttributeValue> FlowFile::attribute(std::string_view name) const {
  if (auto stored = record_->attributes.find(name)) return AttributeValue(*stored);
  if (name == "uuid" || name == "filename") return AttributeValue::inline_copy(uuid());
  if (name == "path") return AttributeValue::inline_copy("./");
  if (name == "fileSize") return number_value(static_cast<std::int64_t>(record_->size()));
  if (name == "entryDate") return number_value(record_->entry_ms);
  if (name == "lineageStartDate") return number_value(record_->lineage_start_ms);
  return std::nullopt;
}

void FlowFile::for_each_attribute(const std::function<void(std::string_view, std::string_view)>& fn) const {
  const auto& attrs = record_->attributes;
  const std::string id = uuid();
  fn("uuid", id);
  if (!attrs.find("filename")) fn("filename", id);
  if (!attrs.find("path")) fn("path", "./");
  fn("fileSize", std::to_string(record_->size()));
  fn("entryDate", std::to_string(record_->entry_ms));
  fn("lineageStartDate", std::to_string(record_->lineage_start_ms));
  for (const auto& [k, v] : attrs.entries()) {
    if (k != "uuid") fn(k, v);
  }
}

}  // namespace sluice
