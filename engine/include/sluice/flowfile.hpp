// A FlowFile as a processor sees it: a read-only handle, valid for the life of the session that returned it.
// All changes go through the ProcessSession, which tracks them for commit, rollback and provenance.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace sluice {

namespace internal {
struct FlowFileRecord;  // engine-private
}

// An attribute value: a view of stored bytes, or (for computed core attributes such as `uuid` and
// `fileSize`) a value formatted inline. Never allocates; valid while the FlowFile is unchanged.
class AttributeValue {
 public:
  AttributeValue() = default;
  explicit AttributeValue(std::string_view stored) : view_(stored) {}
  static AttributeValue inline_copy(std::string_view text);

  [[nodiscard]] std::string_view view() const { return view_; }
  operator std::string_view() const { return view_; }  // NOLINT(google-explicit-constructor): a value type
  [[nodiscard]] std::string str() const { return std::string(view_); }
  bool operator==(std::string_view other) const { return view_ == other; }

  AttributeValue(const AttributeValue& other) { *this = other; }
  AttributeValue& operator=(const AttributeValue& other);

 private:
  std::array<char, 40> inline_{};
  std::string_view view_;
};

class FlowFile {
 public:
  FlowFile() = default;
  explicit FlowFile(internal::FlowFileRecord* record) : record_(record) {}

  explicit operator bool() const { return record_ != nullptr; }

  [[nodiscard]] std::string uuid() const;
  [[nodiscard]] std::uint64_t size() const;             // content bytes
  [[nodiscard]] std::int64_t entry_date_ms() const;     // when it entered this flow
  [[nodiscard]] std::int64_t lineage_start_ms() const;  // when its oldest ancestor was created
  [[nodiscard]] std::int64_t penalty_until_ms() const;  // 0 when not penalized

  // Stored attributes plus the core ones: uuid, filename, path, fileSize, entryDate, lineageStartDate.
  [[nodiscard]] std::optional<AttributeValue> attribute(std::string_view name) const;
  void for_each_attribute(const std::function<void(std::string_view, std::string_view)>& fn) const;

  [[nodiscard]] internal::FlowFileRecord* record() const { return record_; }
  bool operator==(const FlowFile& other) const { return record_ == other.record_; }

 private:
  internal::FlowFileRecord* record_ = nullptr;
};

}  // namespace sluice
