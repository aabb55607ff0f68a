#include "json_writer.hpp"

#include "record_write_error.hpp"

namespace sluice::records {

JsonWriter::JsonWriter(OutputStream& out, JsonWriterOptions options) : out_(out), options_(options) {
  if (options_.format == JsonFormat::kArray) out_.buffer().push_back('[');
}

void JsonWriter::bind(const DataType& schema) {
  bound_ = &schema;
  keys_.clear();
  for (const auto& f : schema.fields) {
    std::string key;
    append_json_string(f.name, key);
    key.push_back(':');
    if (options_.pretty) key.push_back(' ');
    keys_.push_back(std::move(key));
  }
}

void JsonWriter::append_pretty(const Value& value, const DataType* type, int depth) {
  // Pretty output re-indents the compact form of nested values: simple, and off the hot path.
  scratch_.clear();
  append_json(value, type, scratch_);
  std::string& buf = out_.buffer();
  bool in_string = false;
  for (std::size_t i = 0; i < scratch_.size(); ++i) {
    const char c = scratch_[i];
    if (in_string) {
      buf.push_back(c);
      if (c == '\\') {
        buf.push_back(scratch_[++i]);
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        buf.push_back(c);
        break;
      case '{':
      case '[':
        buf.push_back(c);
        if (i + 1 < scratch_.size() && (scratch_[i + 1] == '}' || scratch_[i + 1] == ']')) break;
        ++depth;
        buf.push_back('\n');
        buf.append(static_cast<std::size_t>(depth) * 2, ' ');
        break;
      case '}':
      case ']':
        if (i > 0 && (scratch_[i - 1] == '{' || scratch_[i - 1] == '[')) {
          buf.push_back(c);
          break;
        }
        --depth;
        buf.push_back('\n');
        buf.append(static_cast<std::size_t>(depth) * 2, ' ');
        buf.push_back(c);
        break;
      case ',':
        buf.push_back(',');
        buf.push_back('\n');
        buf.append(static_cast<std::size_t>(depth) * 2, ' ');
        break;
      case ':': buf += ": "; break;
      default: buf.push_back(c);
    }
  }
}

void JsonWriter::write(const Record& record) {
  if (options_.format == JsonFormat::kObject && count_ != 0) {
    throw RecordWriteError("format 'object' holds one record; this is record " + std::to_string(count_ + 1));
  }
  if (bound_ != &record.schema()) bind(record.schema());
  std::string& buf = out_.buffer();
  if (options_.format == JsonFormat::kArray) {
    if (count_ != 0) buf.push_back(',');
    if (options_.pretty) buf += "\n  ";
  }
  const int depth = options_.pretty && options_.format == JsonFormat::kArray ? 1 : 0;
  buf.push_back('{');
  const auto fields = record.fields();
  const auto& schema_fields = record.schema().fields;
  bool first = true;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (options_.omit_nulls && fields[i].is_null()) continue;
    if (!first) buf.push_back(',');
    first = false;
    if (options_.pretty) {
      buf.push_back('\n');
      buf.append(static_cast<std::size_t>(depth + 1) * 2, ' ');
    }
    buf += keys_[i];
    if (options_.pretty) {
      append_pretty(fields[i], schema_fields[i].type.get(), depth + 1);
    } else {
      append_json(fields[i], schema_fields[i].type.get(), buf);
    }
  }
  if (options_.pretty && !first) {
    buf.push_back('\n');
    buf.append(static_cast<std::size_t>(depth) * 2, ' ');
  }
  buf.push_back('}');
  if (options_.format == JsonFormat::kLines) buf.push_back('\n');
  ++count_;
  out_.maybe_flush();
}

void JsonWriter::finish() {
  if (options_.format == JsonFormat::kArray) {
    if (options_.pretty && count_ != 0) out_.buffer().push_back('\n');
    out_.buffer() += "]\n";
  } else if (options_.format == JsonFormat::kObject && count_ != 0) {
    out_.buffer().push_back('\n');
  }
  out_.flush();
}

}  // namespace sluice::records
