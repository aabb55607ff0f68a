// Helpers for record tests: run every record of a content through a reader into a writer, keeping the
// invalid records' reasons, and build readers and writers from `key=value` option lists.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "avro_container.hpp"
#include "csv_reader.hpp"
#include "csv_writer.hpp"
#include "json_reader.hpp"
#include "json_writer.hpp"
#include "sluice/record.hpp"
#include "string_output.hpp"

namespace sluice::records::test {

using Options = std::map<std::string, std::string, std::less<>>;

struct Converted {
  std::string output;
  std::vector<std::string> errors;  // "position: reason" per invalid record
  std::vector<std::string> raw_invalid;
  std::uint64_t records = 0;
};

inline std::string option(const Options& o, std::string_view key, const std::string& fallback) {
  auto it = o.find(key);
  return it == o.end() ? fallback : it->second;
}

inline DataTypePtr schema_option(const Options& o) {
  const std::string s = option(o, "schema", "infer");
  if (s == "infer" || s == "strings" || s == "inherit") return nullptr;
  return parse_avro_schema(s);
}

inline std::unique_ptr<RecordReader> make_reader(std::string_view format, const Options& o,
                                                 std::string_view content) {
  const DataTypePtr schema = schema_option(o);
  const std::string mode = option(o, "schema", "infer");
  if (format == "csv") {
    CsvReaderOptions c;
    c.format.delimiter = option(o, "delimiter", ",")[0] == 't' ? '\t' : option(o, "delimiter", ",")[0];
    c.format.quote = option(o, "quote", "\"")[0];
    c.format.escape = option(o, "escape", "").empty() ? '\0' : option(o, "escape", "")[0];
    c.format.trim = option(o, "trim", "false") == "true";
    c.header = option(o, "header", "true") == "true";
    if (o.count("columns") != 0) {
      std::string cols = option(o, "columns", "");
      std::size_t start = 0;
      while (true) {
        auto comma = cols.find(',', start);
        c.columns.push_back(cols.substr(start, comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    }
    if (o.count("null") != 0) c.null_strings = {option(o, "null", "")};
    c.schema_mode = schema              ? SchemaMode::kGiven
                    : mode == "strings" ? SchemaMode::kStrings
                                        : SchemaMode::kInfer;
    c.schema = schema;
    return std::make_unique<CsvReader>(content, c);
  }
  if (format == "json") {
    JsonReaderOptions j;
    const std::string f = option(o, "format", "auto");
    j.format = f == "lines" ? JsonInput::kLines : f == "array" ? JsonInput::kArray : JsonInput::kAuto;
    j.schema_mode = schema ? SchemaMode::kGiven : SchemaMode::kInfer;
    j.schema = schema;
    j.ignore_unknown_fields = option(o, "unknown_fields", "fail") == "ignore";
    return std::make_unique<JsonReader>(content, j);
  }
  auto reader = std::make_unique<AvroReader>(content);
  if (schema) return resolve_reader(std::move(reader), schema);
  return reader;
}

inline std::unique_ptr<RecordWriter> make_writer(std::string_view format, const Options& o, OutputStream& out,
                                                 const DataTypePtr& schema) {
  if (format == "csv") {
    CsvWriterOptions c;
    c.header = option(o, "header", "true") == "true";
    c.format.delimiter = option(o, "delimiter", ",")[0];
    c.line_end = option(o, "line_end", "lf") == "crlf" ? "\r\n" : "\n";
    return std::make_unique<CsvWriter>(out, schema, c);
  }
  if (format == "json") {
    JsonWriterOptions j;
    j.format = option(o, "format", "array") == "lines" ? JsonFormat::kLines : JsonFormat::kArray;
    j.pretty = option(o, "pretty", "false") == "true";
    return std::make_unique<JsonWriter>(out, j);
  }
  AvroWriterOptions a;
  const std::string codec = option(o, "codec", "null");
  a.codec = codec == "deflate"  ? AvroCodec::kDeflate
            : codec == "snappy" ? AvroCodec::kSnappy
                                : AvroCodec::kNull;
  a.block_records = std::stoul(option(o, "block_records", "4096"));
  return std::make_unique<AvroWriter>(out, schema, a);
}

inline Converted convert(RecordReader& reader, std::string_view writer_format,
                         const Options& writer_options) {
  Converted c;
  StringOutput out;
  auto writer = make_writer(writer_format, writer_options, out, reader.schema());
  Record record;
  while (true) {
    const ReadStatus s = reader.next(record);
    if (s == ReadStatus::kEnd) break;
    if (s == ReadStatus::kInvalid) {
      c.errors.push_back(describe(reader.issue().position) + ": " + reader.issue().reason);
      c.raw_invalid.emplace_back(reader.raw());
      continue;
    }
    writer->write(record);
    ++c.records;
  }
  writer->finish();
  c.output = out.str();
  return c;
}

inline Converted convert(std::string_view content, std::string_view from, const Options& reader_options,
                         std::string_view to, const Options& writer_options = {}) {
  auto reader = make_reader(from, reader_options, content);
  return convert(*reader, to, writer_options);
}

}  // namespace sluice::records::test
