#include "invalid_records.hpp"

#include <string>

namespace sluice::records {

void InvalidRecords::add(const RecordReader& reader, std::string_view reason,
                         const RecordPosition& position) {
  if (count_ == 0 && !reader.raw_header().empty()) {
    content_.append(reader.raw_header());
    content_.push_back('\n');
  }
  content_.append(reader.raw());
  content_.push_back('\n');
  std::string line = describe(position) + ": " + std::string(reason);
  if (count_ == 0) first_ = line;
  if (count_ < kMaxReasons) {
    reasons_ += line;
    reasons_.push_back('\n');
  }
  ++count_;
}

void InvalidRecords::describe_on(ProcessSession& session, FlowFile& ff) const {
  session.put_attribute(ff, kRecordCount, std::to_string(count_));
  session.put_attribute(ff, kRecordError, first_);
  std::string all = reasons_;
  if (count_ > kMaxReasons) all += "... and " + std::to_string(count_ - kMaxReasons) + " more\n";
  session.put_attribute(ff, kRecordErrors, all);
}

void InvalidRecords::emit(ProcessSession& session, const FlowFile& parent,
                          std::string_view relationship) const {
  FlowFile out = session.create(parent);
  session.write(out, [&](OutputStream& os) { os.write(content_); });
  describe_on(session, out);
  session.transfer(out, relationship);
}

void fail_whole(ProcessSession& session, FlowFile& ff, std::string_view relationship,
                std::string_view reason) {
  session.put_attribute(ff, kRecordError, reason);
  session.penalize(ff);
  session.transfer(ff, relationship);
}

}  // namespace sluice::records
