#include "csv_writer.hpp"

#include <utility>

#include "byte_scan.hpp"

namespace sluice::records {

CsvWriter::CsvWriter(OutputStream& out, DataTypePtr schema, CsvWriterOptions options)
    : out_(out), schema_(std::move(schema)), options_(std::move(options)) {
  if (options_.header) {
    bool first = true;
    for (const auto& f : schema_->fields) {
      if (!first) out_.buffer().push_back(options_.format.delimiter);
      first = false;
      write_cell(f.name, false);
    }
    out_.buffer() += options_.line_end;
  }
}

void CsvWriter::write_cell(std::string_view text, bool force_quotes) {
  std::string& buf = out_.buffer();
  const char quote = options_.format.quote;
  const char* end = text.data() + text.size();
  const char* special = find_any(text.data(), end, options_.format.delimiter, quote, '\n', '\r');
  const bool edge_blank =
      options_.format.trim && !text.empty() &&
      (text.front() == ' ' || text.front() == '\t' || text.back() == ' ' || text.back() == '\t');
  if (special == end && !force_quotes && !edge_blank) {
    buf.append(text);
    return;
  }
  buf.push_back(quote);
  const char* p = text.data();
  while (p < end) {
    const char* q = find_any(p, end, quote, quote, quote);
    buf.append(p, q);
    if (q == end) break;
    buf.push_back(quote);
    buf.push_back(quote);
    p = q + 1;
  }
  buf.push_back(quote);
}

void CsvWriter::write_value(const Value& value) {
  switch (value.kind()) {
    case ValueKind::kNull: out_.buffer() += options_.null_string; return;
    case ValueKind::kString:
    case ValueKind::kBytes:
      // An empty string is quoted so that it does not read back as null.
      write_cell(value.as_text(), value.as_text().empty() && options_.null_string.empty());
      return;
    case ValueKind::kArray:
    case ValueKind::kMap:
    case ValueKind::kRecord:
      scratch_.clear();
      append_text(value, scratch_);
      write_cell(scratch_, false);
      return;
    default: append_text(value, out_.buffer()); return;
  }
}

void CsvWriter::write(const Record& record) {
  std::string& buf = out_.buffer();
  // A record of another schema (UpdateRecord's output, a merge) is written by field name.
  fields_.bind(*schema_, record);
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    if (i != 0) buf.push_back(options_.format.delimiter);
    if (fields_.has(i)) write_value(fields_.get(record, i));
  }
  buf += options_.line_end;
  ++count_;
  out_.maybe_flush();
}

void CsvWriter::finish() {
  out_.flush();
}

}  // namespace sluice::records
