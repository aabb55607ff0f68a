#include "parquet_record_writer.hpp"

#include "record_write_error.hpp"

namespace sluice::records {

namespace {

// The encoder's reason without its "parquet: column 'x' row N: " prefix: the caller names the field, and
// the processor the record.
std::string_view encoder_reason(std::string_view what) {
  const std::size_t row = what.find("' row ");
  if (row == std::string_view::npos) return what;
  const std::size_t colon = what.find(": ", row);
  return colon == std::string_view::npos ? what : what.substr(colon + 2);
}

}  // namespace

void OutputStreamSink::write(std::string_view bytes) {
  if (pending_.size() + bytes.size() > kGather) flush();
  if (bytes.size() >= kGather) {
    out_.write(bytes);  // a whole page: no copy
  } else {
    pending_.append(bytes);
  }
}

void OutputStreamSink::flush() {
  if (pending_.empty()) return;
  out_.write(pending_);
  pending_.clear();
}

ParquetRecordWriter::ParquetRecordWriter(OutputStream& out, const DataTypePtr& schema,
                                         const ParquetWriterConfig& config)
    : sink_(out), schema_(schema), layout_(map_schema(*schema, config.mapping)) {
  try {
    writer_.emplace(sink_, layout_.columns, config.encoder);
  } catch (const parquet::ParquetError& e) {
    // What the mapping lets through but the format refuses (a decimal's scale above its precision).
    throw RecordWriteError(std::string("the Parquet writer cannot write this schema: ") + e.what());
  }
}

void ParquetRecordWriter::reject(std::size_t field, std::string_view reason) {
  writer_->cancel_row();
  throw RecordWriteError("record does not fit the Parquet schema: field '" + schema_->fields[field].name +
                         "': " + std::string(reason));
}

void ParquetRecordWriter::write(const Record& record) {
  scratch_.reset();
  fields_.bind(*schema_, record);
  for (std::size_t i = 0; i < layout_.fields.size(); ++i) {
    const ParquetField& field = layout_.fields[i];
    // A value goes to the field's non-null type, so that the reason reads "'x' is not a double" rather
    // than "fits no branch of the union".
    const Value in = fields_.get(record, i);
    const auto converted =
        convert_value(in, in.is_null() ? *field.type : *field.value_type, scratch_, reason_);
    if (!converted) reject(i, reason_);
    try {
      if (!append_value(*writer_, i, field, *converted, bytes_, reason_)) reject(i, reason_);
    } catch (const parquet::ParquetError& e) {
      reject(i, encoder_reason(e.what()));
    }
  }
  writer_->end_row();
  ++count_;
}

void ParquetRecordWriter::finish() {
  writer_->close();
  sink_.flush();
}

}  // namespace sluice::records
