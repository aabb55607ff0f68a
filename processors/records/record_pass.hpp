// One pass over a FlowFile's records, the loop every record processor runs: open the reader (content that
// cannot be read at all is noted, not thrown), hand out the readable records one by one while collecting
// the invalid ones, then route what came out.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "invalid_records.hpp"
#include "sluice/record.hpp"
#include "sluice/session.hpp"
#include "string_output.hpp"

namespace sluice::records {

class RecordPass {
 public:
  // Calls `body` inside session.read with a reader over `ff`'s content; false when the content could not
  // be read at all (see unreadable()).
  bool run(ProcessSession& session, const FlowFile& ff, const RecordReaderFactory& readers,
           const std::function<void(RecordReader&)>& body);
  // The next readable record into `record`, collecting invalid ones on the way; false at the end.
  bool next(RecordReader& reader, Record& record);

  InvalidRecords& invalid() { return invalid_; }
  [[nodiscard]] const std::string& unreadable() const { return unreadable_; }

  // For processors that rewrite `ff` with its `good` records: unreadable content sends `ff` to `failure`
  // whole; invalid records go to `invalid_to` as one child; `ff` goes to `success` with `record.count` and
  // `mime.type`, or is removed when every record was invalid.
  void route_rewritten(ProcessSession& session, FlowFile& ff, std::uint64_t good, std::string_view success,
                       std::string_view invalid_to, std::string_view failure, std::string_view mime);

 private:
  InvalidRecords invalid_;
  std::string unreadable_;
};

// Creates a FlowFile holding `content` with `record.count` and `mime.type` — a child of `parent`, or one
// without a parent when it is null — and returns it (not yet transferred, so the caller can add attributes).
FlowFile emit_records(ProcessSession& session, const FlowFile* parent, const StringOutput& content,
                      std::uint64_t count, std::string_view mime);
inline FlowFile emit_child(ProcessSession& session, const FlowFile& parent, const StringOutput& content,
                           std::uint64_t count, std::string_view mime) {
  return emit_records(session, &parent, content, count, mime);
}

}  // namespace sluice::records
