// Streaming record readers and writers, and the controller-service interfaces that create them.
//
// A processor asks its `reader` service (a RecordReaderFactory, interface "RecordReader") to open a reader
// over a FlowFile's content and its `writer` service (a RecordWriterFactory, interface "RecordWriter") to
// open a writer over an OutputStream, then moves records one at a time through a single reusable Record:
//
//   session.read(ff, [&](InputStream& in) {
//     auto reader = readers.open(in.view());
//     Record record;
//     session.write(out, [&](OutputStream& os) {
//       auto writer = writers.open(os, reader->schema());
//       while (true) {
//         auto status = reader->next(record);
//         if (status == ReadStatus::kEnd) break;
//         if (status == ReadStatus::kInvalid) { /* reader->issue(): reason and position */ continue; }
//         writer->write(record);
//       }
//       writer->finish();
//     });
//   });
//
// A bad record (an unbalanced quote, a wrong column count, a JSON syntax error, a value that does not
// convert to its schema type) does not stop the reader: next() reports kInvalid with the reason, its
// position and its raw bytes, and the following call goes on with the next record.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "sluice/record_path.hpp"
#include "sluice/record_schema.hpp"
#include "sluice/record_value.hpp"
#include "sluice/service.hpp"
#include "sluice/stream.hpp"

namespace sluice {

// Where a record is in its input. Text formats give the line and column (1-based) where the record or its
// error starts; every format gives the record number (1-based) and the byte offset.
struct RecordPosition {
  std::uint64_t record = 0;
  std::uint64_t line = 0;    // 0 when the format has no lines (Avro)
  std::uint64_t column = 0;  // 0 when unknown
  std::uint64_t offset = 0;  // bytes from the start of the content
};
// "line 12, column 5 (record 11)" or "record 11 (byte 5230)".
std::string describe(const RecordPosition& position);

struct RecordIssue {
  std::string reason;
  RecordPosition position;
};

enum class ReadStatus : std::uint8_t { kRecord, kInvalid, kEnd };

// Thrown when the content as a whole cannot be read (not an Avro file, an unreadable header): the FlowFile
// goes to failure. Errors of single records are reported by next() instead.
class RecordFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class RecordReader {
 public:
  virtual ~RecordReader() = default;
  // The schema of the records next() returns (known once the reader is open).
  [[nodiscard]] virtual const DataTypePtr& schema() const = 0;
  // Reads the next record into `record` (reset to schema() first). Views in it stay valid until the next
  // call. kInvalid: issue() tells why and where, raw() has the record's bytes.
  virtual ReadStatus next(Record& record) = 0;
  [[nodiscard]] virtual const RecordIssue& issue() const = 0;
  // The position of the record last returned.
  [[nodiscard]] virtual RecordPosition position() const = 0;
  // The raw bytes of the record last returned, as in the input (for text formats, without the line end).
  [[nodiscard]] virtual std::string_view raw() const = 0;
  // For formats with a header line (CSV), the raw header, so raw records can be written out readable.
  [[nodiscard]] virtual std::string_view raw_header() const { return {}; }
};

class RecordWriter {
 public:
  virtual ~RecordWriter() = default;
  // Writes one record of the writer's schema (or of a schema whose fields it can find by name).
  virtual void write(const Record& record) = 0;
  // Ends the output (closing bracket, Avro's last block) and flushes. Call once, after the last write.
  virtual void finish() = 0;
  [[nodiscard]] virtual std::uint64_t count() const = 0;
};

// Interface "RecordReader".
class RecordReaderFactory : public ControllerService {
 public:
  // Opens a reader over `content` (the whole content, e.g. InputStream::view()); it must stay valid while
  // the reader is used. Throws RecordFormatError when the content cannot be read at all.
  [[nodiscard]] virtual std::unique_ptr<RecordReader> open(std::string_view content) const = 0;
};

// Interface "RecordWriter".
class RecordWriterFactory : public ControllerService {
 public:
  // Opens a writer over `out` for records of `schema` (a writer configured with its own schema uses that
  // one and takes fields by name).
  [[nodiscard]] virtual std::unique_ptr<RecordWriter> open(OutputStream& out,
                                                           const DataTypePtr& schema) const = 0;
  // The MIME type of what it writes (for the `mime.type` attribute).
  [[nodiscard]] virtual std::string_view mime_type() const = 0;
};

// Schema evolution: reads what `inner` reads as records of `reader_schema` under Avro's resolution rules
// (see resolution_problems). Throws SchemaError listing every incompatibility.
std::unique_ptr<RecordReader> resolve_reader(std::unique_ptr<RecordReader> inner, DataTypePtr reader_schema);

inline constexpr std::string_view kRecordReaderInterface = "RecordReader";
inline constexpr std::string_view kRecordWriterInterface = "RecordWriter";

}  // namespace sluice
