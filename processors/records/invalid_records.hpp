// What record processors share: collecting the records a reader could not read (or a rule rejected) into
// one FlowFile with their raw bytes and reasons, and the attribute names they all write.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sluice/record.hpp"
#include "sluice/session.hpp"

namespace sluice::records {

inline constexpr std::string_view kRecordCount = "record.count";
inline constexpr std::string_view kRecordError = "record.error";
inline constexpr std::string_view kRecordErrors = "record.errors";
inline constexpr std::string_view kMimeType = "mime.type";

// Raw bytes of bad records (the CSV header once, then one record per line) and their reasons. The first
// reason goes to `record.error`; up to kMaxReasons go to `record.errors`, one per line, with a count of the
// rest.
class InvalidRecords {
 public:
  static constexpr std::size_t kMaxReasons = 100;

  // A record the reader reported invalid.
  void add(const RecordReader& reader) { add(reader, reader.issue().reason, reader.issue().position); }
  // A record rejected for `reason` (e.g. a validation rule), at `position`.
  void add(const RecordReader& reader, std::string_view reason, const RecordPosition& position);

  [[nodiscard]] std::uint64_t count() const { return count_; }
  [[nodiscard]] bool empty() const { return count_ == 0; }
  // Creates a child of `parent` holding the bad records and transfers it to `relationship`.
  void emit(ProcessSession& session, const FlowFile& parent, std::string_view relationship) const;
  // Sets the error attributes on `ff` (for a FlowFile failed as a whole).
  void describe_on(ProcessSession& session, FlowFile& ff) const;

 private:
  std::string content_;
  std::string first_;
  std::string reasons_;
  std::uint64_t count_ = 0;
};

// Sets `record.error` and routes the whole FlowFile when its content could not be read at all.
void fail_whole(ProcessSession& session, FlowFile& ff, std::string_view relationship,
                std::string_view reason);

}  // namespace sluice::records
