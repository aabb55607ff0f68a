#include "csv_services.hpp"

#include <memory>

#include "csv_reader.hpp"
#include "csv_writer.hpp"
#include "service_config.hpp"
#include "spec_helpers.hpp"

namespace sluice::records {

namespace {

using standard::enum_property;
using standard::optional_property;

CsvFormat format_from(const ComponentContext& context) {
  CsvFormat f;
  f.delimiter = char_property(context, "delimiter");
  f.quote = char_property(context, "quote");
  f.escape = char_property(context, "escape");
  f.trim = context.bool_property("trim");
  if (f.delimiter == '\0' || f.quote == '\0') throw ProcessorError("delimiter and quote must not be empty");
  if (f.delimiter == f.quote || f.delimiter == '\n' || f.quote == '\n') {
    throw ProcessorError("delimiter and quote must differ from each other and from a line break");
  }
  return f;
}

std::vector<PropertySpec> format_properties() {
  return {
      optional_property("delimiter", PropertyKind::kString, ",",
                        "The field separator: one character, or `tab`."),
      optional_property("quote", PropertyKind::kString, "\"", "The quote character."),
      optional_property(
          "escape", PropertyKind::kString, "",
          "An escape character (e.g. `\\`) that makes the next character literal; empty: quotes are "
          "escaped by doubling them (RFC 4180)."),
      optional_property("trim", PropertyKind::kBool, "false", "Strip spaces and tabs around unquoted cells."),
  };
}

class CsvReaderService final : public RecordReaderFactory {
 public:
  void on_enable(ServiceContext& context) override {
    options_.format = format_from(context);
    options_.header = context.bool_property("header");
    options_.columns = list_property(context, "columns");
    options_.null_strings = list_property(context, "null_strings");
    const SchemaSetting s = schema_setting(context);
    options_.schema_mode = s.mode;
    options_.schema = s.schema;
    options_.infer_rows = static_cast<std::size_t>(context.int_property("infer_rows"));
    options_.inference.timestamps = context.bool_property("infer_timestamps");
    if (!options_.header && options_.columns.empty() && s.mode != SchemaMode::kGiven) {
      throw ProcessorError("without a header, give `columns` or a schema");
    }
  }
  [[nodiscard]] std::unique_ptr<RecordReader> open(std::string_view content) const override {
    return std::make_unique<CsvReader>(content, options_);
  }

 private:
  CsvReaderOptions options_;
};

class CsvWriterService final : public RecordWriterFactory {
 public:
  void on_enable(ServiceContext& context) override {
    options_.format = format_from(context);
    options_.header = context.bool_property("header");
    options_.line_end = context.string_property("line_end") == "crlf" ? "\r\n" : "\n";
    options_.null_string = context.string_property("null_string");
    schema_ = schema_setting(context).schema;
  }
  [[nodiscard]] std::unique_ptr<RecordWriter> open(OutputStream& out,
                                                   const DataTypePtr& schema) const override {
    return std::make_unique<CsvWriter>(out, schema_ ? schema_ : schema, options_);
  }
  [[nodiscard]] std::string_view mime_type() const override { return "text/csv"; }

 private:
  CsvWriterOptions options_;
  DataTypePtr schema_;
};

ServiceSpec reader_spec() {
  ServiceSpec s;
  s.type = "CSVReader";
  s.summary = "Reads records from CSV (RFC 4180) content.";
  s.description =
      "Parses CSV in one pass: quoted fields with doubled quotes, delimiters and line breaks inside quotes, "
      "LF or "
      "CRLF line ends, a UTF-8 byte order mark. An unquoted empty cell, or one equal to a `null_strings` "
      "entry, is "
      "null; a quoted empty cell is an empty string. A row with an unbalanced quote or the wrong number of "
      "cells, "
      "or a cell that does not convert to its field's type, is reported as an invalid record with its line "
      "and "
      "column; the rows after it are read as usual.";
  s.tags = {"csv", "record", "reader", "parse"};
  s.provides = {"RecordReader"};
  s.properties = schema_properties(
      "infer",
      "`infer`: field names from the header, types inferred from the first `infer_rows` rows (boolean, long, "
      "double, date, timestamp, else string; every field nullable). `strings`: every field a nullable "
      "string.");
  for (auto& p : format_properties()) s.properties.push_back(std::move(p));
  s.properties.push_back(
      optional_property("header", PropertyKind::kBool, "true", "The first line names the columns."));
  s.properties.push_back(optional_property(
      "columns", PropertyKind::kString, std::nullopt,
      "Comma-separated column names, for content without a header (or to rename the header's columns)."));
  s.properties.push_back(
      optional_property("null_strings", PropertyKind::kString, std::nullopt,
                        "Comma-separated unquoted cell values that mean null (e.g. `NULL,n/a`)."));
  s.properties.push_back(
      optional_property("infer_rows", PropertyKind::kInt, "1000", "Rows sampled when `schema: infer`."));
  s.properties.push_back(optional_property("infer_timestamps", PropertyKind::kBool, "true",
                                           "Infer ISO 8601 dates and timestamps (else they stay strings)."));
  s.examples = {
      {"Meter readings with an inferred schema",
       "services:\n  meter_csv: { type: CSVReader, properties: { schema: infer, header: true } }\n"}};
  return s;
}

ServiceSpec writer_spec() {
  ServiceSpec s;
  s.type = "CSVWriter";
  s.summary = "Writes records as CSV with one header line.";
  s.description =
      "Writes a header line (unless `header: false`) and one line per record. A cell is quoted only when it "
      "holds the delimiter, the quote character or a line break, or is an empty string (an unquoted empty "
      "cell "
      "means null). Timestamps are ISO 8601, decimals keep every digit.";
  s.tags = {"csv", "record", "writer"};
  s.provides = {"RecordWriter"};
  s.properties = schema_properties("inherit", "`inherit`: the records' own schema.");
  for (auto& p : format_properties()) s.properties.push_back(std::move(p));
  s.properties.push_back(optional_property("header", PropertyKind::kBool, "true", "Write a header line."));
  s.properties.push_back(enum_property("line_end", "lf", {{"lf", "\\n"}, {"crlf", "\\r\\n (RFC 4180)"}},
                                       "The line end written after each record."));
  s.properties.push_back(optional_property("null_string", PropertyKind::kString, "",
                                           "What a null is written as (default: nothing)."));
  return s;
}

std::unique_ptr<ControllerService> create_reader() {
  return std::make_unique<CsvReaderService>();
}
std::unique_ptr<ControllerService> create_writer() {
  return std::make_unique<CsvWriterService>();
}

}  // namespace

const ServiceDefinition& csv_reader_definition() {
  static const ServiceDefinition kDefinition{reader_spec(), &create_reader};
  return kDefinition;
}

const ServiceDefinition& csv_writer_definition() {
  static const ServiceDefinition kDefinition{writer_spec(), &create_writer};
  return kDefinition;
}

}  // namespace sluice::records
