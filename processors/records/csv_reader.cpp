#include "csv_reader.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

#include "byte_scan.hpp"

namespace sluice::records {

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

bool is_string_type(const DataType& t) {
  const DataType& n = t.non_null();
  return n.kind == TypeKind::kString;
}

}  // namespace

CsvReader::CsvReader(std::string_view content, const CsvReaderOptions& options)
    : content_(content),
      pos_(content.data()),
      end_(content.data() + content.size()),
      format_(options.format),
      null_strings_(options.null_strings) {
  if (content.size() >= 3 && content.substr(0, 3) == "\xEF\xBB\xBF") pos_ += 3;
  line_start_ = pos_;
  std::vector<std::string> names = options.columns;
  if (options.header) {
    const char* header_start = pos_;
    if (parse_row() != RowStatus::kRow) {
      throw RecordFormatError(reason_.empty() ? "CSV content has no header line" : "CSV header: " + reason_);
    }
    raw_header_ = std::string_view(header_start, static_cast<std::size_t>(row_end_ - header_start));
    if (names.empty()) {
      RecordArena scratch;
      for (const Cell& c : cells_) names.emplace_back(cell_text(c, scratch));
    }
  }
  if (names.empty()) {
    if (options.schema_mode == SchemaMode::kGiven && options.schema) {
      for (const auto& f : options.schema->fields) names.push_back(f.name);
    } else {
      throw RecordFormatError("CSV without a header needs explicit column names");
    }
  }
  build_schema(options, names);
}

void CsvReader::build_schema(const CsvReaderOptions& options, const std::vector<std::string>& names) {
  if (options.schema_mode == SchemaMode::kGiven) {
    schema_ = options.schema;
    column_field_.clear();
    for (const auto& n : names) {
      const int fi = schema_->field_index(n, true);
      if (fi < 0) throw RecordFormatError("CSV column '" + n + "' is not a field of the schema");
      column_field_.push_back(fi);
    }
  } else {
    std::vector<InferredKind> kinds(names.size(), options.schema_mode == SchemaMode::kStrings
                                                      ? InferredKind::kString
                                                      : InferredKind::kNone);
    if (options.schema_mode == SchemaMode::kInfer) {
      // Sample rows, then rewind: the rows are read again as records.
      const char* saved_pos = pos_;
      const std::uint64_t saved_line = line_;
      const char* saved_line_start = line_start_;
      RecordArena scratch;
      for (std::size_t row = 0; row < options.infer_rows;) {
        const RowStatus s = parse_row();
        if (s == RowStatus::kEnd) break;
        if (s == RowStatus::kError || cells_.size() != names.size()) continue;
        for (std::size_t i = 0; i < cells_.size(); ++i) {
          if (is_null(cells_[i])) continue;
          scratch.reset();
          kinds[i] = widen(kinds[i], cell_text(cells_[i], scratch), options.inference);
        }
        ++row;
      }
      pos_ = saved_pos;
      line_ = saved_line;
      line_start_ = saved_line_start;
    }
    std::vector<Field> fields;
    for (std::size_t i = 0; i < names.size(); ++i) {
      std::string name = names[i];
      // Avro names: letters, digits and '_', not starting with a digit; keep the header text as an alias.
      std::string safe;
      for (char c : name) safe.push_back((std::isalnum(static_cast<unsigned char>(c)) != 0) ? c : '_');
      if (safe.empty() || std::isdigit(static_cast<unsigned char>(safe[0])) != 0) safe.insert(0, "_");
      while (std::any_of(fields.begin(), fields.end(), [&](const Field& f) { return f.name == safe; }))
        safe += "_";
      Field f;
      f.name = safe;
      if (safe != name) f.aliases.push_back(name);
      f.type = inferred_type(kinds[i]);
      f.default_json = "null";
      fields.push_back(std::move(f));
      column_field_.push_back(static_cast<int>(i));
    }
    schema_ = DataType::record("csv_record", std::move(fields));
  }
  field_types_.clear();
  for (const auto& f : schema_->fields)
    field_types_.push_back(is_string_type(*f.type) ? nullptr : f.type.get());
}

std::uint64_t CsvReader::column_of(const char* p) const {
  return static_cast<std::uint64_t>(p - line_start_) + 1;
}

void CsvReader::fail(std::string reason, const char* at) {
  reason_ = std::move(reason);
  error_column_ = column_of(at);
  error_line_ = line_;
}

bool CsvReader::parse_quoted(const char*& p, Cell& cell) {
  const char quote = format_.quote;
  const char escape = format_.escape != '\0' ? format_.escape : quote;
  const char* open = p;
  ++p;
  cell.begin = p;
  cell.quoted = true;
  while (true) {
    const char* q = find_any(p, end_, quote, escape, '\n');
    if (q == end_) {
      p = open;
      return false;
    }
    if (*q == '\n') {
      ++line_;
      line_start_ = q + 1;
      p = q + 1;
      continue;
    }
    if (*q == escape && escape != quote) {
      cell.escaped = true;
      p = q + 2;
      if (p > end_) {
        p = open;
        return false;
      }
      continue;
    }
    if (q + 1 < end_ && q[1] == quote) {  // a doubled quote
      cell.escaped = true;
      p = q + 2;
      continue;
    }
    cell.end = q;
    p = q + 1;
    return true;
  }
}

CsvReader::RowStatus CsvReader::parse_row() {
  cells_.clear();
  reason_.clear();
  // Blank lines separate nothing: skip them.
  while (pos_ < end_ && (*pos_ == '\n' || (*pos_ == '\r' && pos_ + 1 < end_ && pos_[1] == '\n'))) {
    pos_ += *pos_ == '\r' ? 2 : 1;
    ++line_;
    line_start_ = pos_;
  }
  if (pos_ >= end_) return RowStatus::kEnd;
  row_start_ = pos_;
  row_line_ = line_;
  const char* p = pos_;
  const char delimiter = format_.delimiter;
  const char escape = format_.escape != '\0' ? format_.escape : '\n';
  while (true) {
    Cell cell{p, p, false, false};
    if (format_.trim) {
      while (p < end_ && is_blank(*p)) ++p;
    }
    if (p < end_ && *p == format_.quote) {
      const char* open = p;
      const std::uint64_t open_line = line_;
      const char* open_line_start = line_start_;
      if (!parse_quoted(p, cell)) {
        line_ = open_line;
        line_start_ = open_line_start;
        fail("unterminated quoted field", open);
        recover_after_error(open);
        return RowStatus::kError;
      }
      if (format_.trim) {
        while (p < end_ && is_blank(*p)) ++p;
      }
      if (p < end_ && *p != delimiter && *p != '\n' && !(*p == '\r' && p + 1 < end_ && p[1] == '\n')) {
        fail(std::string("unexpected character '") + *p + "' after a closing quote", p);
        recover_after_error(p);
        return RowStatus::kError;
      }
    } else {
      cell.begin = p;
      while (true) {
        const char* q = find_any(p, end_, delimiter, '\n', escape);
        if (q < end_ && *q == escape && escape != '\n') {
          cell.escaped = true;
          p = std::min(q + 2, end_);
          continue;
        }
        p = q;
        break;
      }
      cell.end = p;
      if (p < end_ && *p == '\n' && cell.end > cell.begin && cell.end[-1] == '\r') --cell.end;
      if (p == end_ && cell.end > cell.begin && cell.end[-1] == '\r') --cell.end;
      if (format_.trim) {
        while (cell.end > cell.begin && is_blank(cell.end[-1])) --cell.end;
      }
    }
    cells_.push_back(cell);
    if (p >= end_) {
      row_end_ = end_;
      pos_ = end_;
      break;
    }
    if (*p == delimiter) {
      ++p;
      if (p == end_) {  // a delimiter ending the content: one more, empty cell
        cells_.push_back(Cell{p, p, false, false});
        row_end_ = end_;
        pos_ = end_;
        break;
      }
      continue;
    }
    // End of line (LF or CRLF).
    row_end_ = (p > row_start_ && p[-1] == '\r') ? p - 1 : p;
    if (*p == '\r') {
      row_end_ = p;
      ++p;
    }
    pos_ = p + 1;
    ++line_;
    line_start_ = pos_;
    break;
  }
  return RowStatus::kRow;
}

void CsvReader::recover_after_error(const char* error_at) {
  // Skip to the end of the line the error is on and carry on with the next one.
  const char* nl = std::find(error_at, end_, '\n');
  row_end_ = (nl > row_start_ && nl[-1] == '\r') ? nl - 1 : nl;
  error_line_ = line_;
  pos_ = nl == end_ ? end_ : nl + 1;
  ++line_;
  line_start_ = pos_;
}

bool CsvReader::is_null(const Cell& cell) const {
  if (cell.quoted) return false;
  if (cell.begin == cell.end) return true;
  if (null_strings_.empty()) return false;
  const std::string_view text(cell.begin, static_cast<std::size_t>(cell.end - cell.begin));
  return std::find(null_strings_.begin(), null_strings_.end(), text) != null_strings_.end();
}

std::string_view CsvReader::cell_text(const Cell& cell, RecordArena& arena) const {
  const std::string_view text(cell.begin, static_cast<std::size_t>(cell.end - cell.begin));
  if (!cell.escaped) return text;
  // Undo doubled quotes and escape characters, into the arena.
  auto* out = static_cast<char*>(arena.allocate(text.size(), 1));
  std::size_t n = 0;
  const char escape = format_.escape != '\0' ? format_.escape : format_.quote;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == escape || (cell.quoted && c == format_.quote)) && i + 1 < text.size()) {
      out[n++] = text[++i];
    } else {
      out[n++] = c;
    }
  }
  return {out, n};
}

ReadStatus CsvReader::next(Record& record) {
  const RowStatus status = parse_row();
  if (status == RowStatus::kEnd) return ReadStatus::kEnd;
  ++records_;
  raw_ = std::string_view(row_start_, static_cast<std::size_t>(row_end_ - row_start_));
  position_ =
      RecordPosition{records_, row_line_, 1, static_cast<std::uint64_t>(row_start_ - content_.data())};
  if (status == RowStatus::kError) {
    issue_ = RecordIssue{reason_, RecordPosition{records_, error_line_, error_column_, position_.offset}};
    return ReadStatus::kInvalid;
  }
  if (cells_.size() != column_field_.size()) {
    issue_ = RecordIssue{"expected " + std::to_string(column_field_.size()) + " fields, found " +
                             std::to_string(cells_.size()),
                         position_};
    return ReadStatus::kInvalid;
  }
  record.reset(schema_);
  auto fields = record.fields();
  RecordArena& arena = record.arena();
  for (std::size_t i = 0; i < cells_.size(); ++i) {
    const Cell& cell = cells_[i];
    const auto fi = static_cast<std::size_t>(column_field_[i]);
    if (is_null(cell)) {
      if (field_types_[fi] == nullptr ? schema_->fields[fi].type->is_nullable()
                                      : field_types_[fi]->is_nullable()) {
        continue;  // already null
      }
    }
    const Value text = is_null(cell) ? Value() : Value::string(cell_text(cell, arena));
    if (field_types_[fi] == nullptr && !text.is_null()) {
      fields[fi] = text;
      continue;
    }
    auto v = convert_value(text, *schema_->fields[fi].type, arena, reason_);
    if (!v) {
      // The line and column of the cell: count from the row's first line.
      std::uint64_t line = row_line_;
      const char* ls = row_start_;
      for (const char* c = row_start_; c < cell.begin; ++c) {
        if (*c == '\n') {
          ++line;
          ls = c + 1;
        }
      }
      issue_ = RecordIssue{
          "field '" + schema_->fields[fi].name + "': " + reason_,
          RecordPosition{records_, line, static_cast<std::uint64_t>(cell.begin - ls) + 1, position_.offset}};
      return ReadStatus::kInvalid;
    }
    fields[fi] = *v;
  }
  return ReadStatus::kRecord;
}

}  // namespace sluice::records
