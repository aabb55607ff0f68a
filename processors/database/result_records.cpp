#include "result_records.hpp"

#include <string>

namespace sluice::database {

namespace {

DataTypePtr column_type(const Column& column) {
  switch (column.type) {
    case ColumnType::kBoolean: return DataType::primitive(TypeKind::kBoolean);
    case ColumnType::kLong: return DataType::primitive(TypeKind::kLong);
    case ColumnType::kDouble: return DataType::primitive(TypeKind::kDouble);
    case ColumnType::kDecimal: return DataType::decimal(column.precision, column.scale);
    case ColumnType::kBytes: return DataType::primitive(TypeKind::kBytes);
    case ColumnType::kDate: return DataType::primitive(TypeKind::kDate);
    case ColumnType::kTime: return DataType::primitive(TypeKind::kTimeMicros);
    case ColumnType::kTimestamp: return DataType::primitive(TypeKind::kTimestampMicros);
    case ColumnType::kString: break;
  }
  return DataType::primitive(TypeKind::kString);
}

}  // namespace

DataTypePtr result_schema(const std::vector<Column>& columns, std::string_view name) {
  std::vector<Field> fields;
  fields.reserve(columns.size());
  for (const auto& column : columns) {
    Field f;
    f.name = column.name;
    f.type = DataType::nullable(column_type(column));
    f.default_json = "null";
    fields.push_back(std::move(f));
  }
  return DataType::record(std::string(name), std::move(fields));
}

std::uint64_t write_result(ProcessSession& session, const FlowFile* parent, Rows& rows,
                           const RecordWriterFactory& writers, const ResultOptions& options,
                           const std::function<void(FlowFile&)>& emit,
                           const std::function<void(const Rows&)>& on_row) {
  bool has_row = rows.next();
  if (!has_row && !options.emit_empty) return 0;
  const DataTypePtr schema = result_schema(rows.columns(), options.schema_name);
  Record record(schema);
  std::uint64_t total = 0;
  do {
    FlowFile ff = parent != nullptr ? session.create(*parent) : session.create();
    std::uint64_t count = 0;
    try {
      session.write(ff, [&](OutputStream& os) {
        auto writer = writers.open(os, schema);
        while (has_row && (options.max_rows_per_flowfile == 0 || count < options.max_rows_per_flowfile)) {
          record.clear();
          for (std::size_t i = 0; i < rows.columns().size(); ++i) record[i] = rows.value(i, record.arena());
          writer->write(record);
          on_row(rows);
          ++count;
          has_row = rows.next();
        }
        writer->finish();
      });
    } catch (...) {
      session.remove(ff);  // a result cut short by an error (the rows written so far are in other FlowFiles)
      throw;
    }
    total += count;
    session.put_attribute(ff, "record.count", std::to_string(count));
    session.put_attribute(ff, "mime.type", writers.mime_type());
    emit(ff);
  } while (has_row);
  return total;
}

}  // namespace sluice::database
