#include "record_pass.hpp"

#include <memory>

namespace sluice::records {

bool RecordPass::run(ProcessSession& session, const FlowFile& ff, const RecordReaderFactory& readers,
                     const std::function<void(RecordReader&)>& body) {
  session.read(ff, [&](InputStream& in) {
    std::unique_ptr<RecordReader> reader;
    try {
      reader = readers.open(in.view());
    } catch (const std::exception& e) {
      unreadable_ = e.what();
      return;
    }
    body(*reader);
  });
  return unreadable_.empty();
}

bool RecordPass::next(RecordReader& reader, Record& record) {
  while (true) {
    const ReadStatus status = reader.next(record);
    if (status == ReadStatus::kRecord) return true;
    if (status == ReadStatus::kEnd) return false;
    invalid_.add(reader);
  }
}

void RecordPass::route_rewritten(ProcessSession& session, FlowFile& ff, std::uint64_t good,
                                 std::string_view success, std::string_view invalid_to,
                                 std::string_view failure, std::string_view mime) {
  if (!unreadable_.empty()) {
    fail_whole(session, ff, failure, unreadable_);
    return;
  }
  if (!invalid_.empty()) invalid_.emit(session, ff, invalid_to);
  if (good == 0 && !invalid_.empty()) {
    session.remove(ff);  // every record went to invalid_to
    return;
  }
  session.put_attribute(ff, kRecordCount, std::to_string(good));
  session.put_attribute(ff, kMimeType, mime);
  session.transfer(ff, success);
}

FlowFile emit_records(ProcessSession& session, const FlowFile* parent, const StringOutput& content,
                      std::uint64_t count, std::string_view mime) {
  FlowFile child = parent != nullptr ? session.create(*parent) : session.create();
  session.write(child, [&](OutputStream& os) { content.copy_to(os); });
  session.put_attribute(child, kRecordCount, std::to_string(count));
  session.put_attribute(child, kMimeType, mime);
  return child;
}

}  // namespace sluice::records
