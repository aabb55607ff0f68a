#include "aggregate_output.hpp"

#include <set>
#include <stdexcept>
#include <utility>

namespace sluice::records {

namespace {

constexpr std::string_view kWindowStart = "window_start";
constexpr std::string_view kWindowEnd = "window_end";
constexpr std::string_view kFiring = "firing";
constexpr std::string_view kRecordCountField = "record_count";

Field make_field(std::string_view name, DataTypePtr type) {
  Field f;
  f.name = std::string(name);
  f.type = std::move(type);
  return f;
}

}  // namespace

std::string group_field_name(std::string_view path) {
  const auto slash = path.find_last_of('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  std::string out;
  for (const char c : name) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    out.push_back(word ? c : '_');
  }
  return out.empty() ? std::string("group") : out;
}

DataTypePtr aggregate_output_schema(const std::vector<std::string>& group_fields,
                                    const std::vector<AggregateSpec>& aggregates) {
  std::vector<Field> fields;
  fields.reserve(group_fields.size() + aggregates.size() + 4);
  for (const auto& g : group_fields)
    fields.push_back(make_field(g, DataType::nullable(DataType::primitive(TypeKind::kString))));
  fields.push_back(make_field(kWindowStart, DataType::primitive(TypeKind::kTimestampMillis)));
  fields.push_back(make_field(kWindowEnd, DataType::primitive(TypeKind::kTimestampMillis)));
  fields.push_back(make_field(kFiring, DataType::primitive(TypeKind::kString)));
  fields.push_back(make_field(kRecordCountField, DataType::primitive(TypeKind::kLong)));
  for (const auto& a : aggregates) {
    fields.push_back(make_field(a.name, DataType::nullable(DataType::primitive(
                                            is_whole(a.kind) ? TypeKind::kLong : TypeKind::kDouble))));
  }
  std::set<std::string_view> names;
  for (const auto& f : fields) {
    if (!names.insert(f.name).second) {
      throw std::invalid_argument(
          "two output fields are named '" + f.name +
          "': rename the aggregate (group fields, window_start, window_end, firing and "
          "record_count are taken)");
    }
  }
  return DataType::record("aggregate", std::move(fields));
}

void window_results(const std::vector<AggregateSpec>& aggregates, const WindowState& window,
                    std::vector<Value>& out) {
  out.resize(aggregates.size());
  std::size_t d = 0;
  for (std::size_t i = 0; i < aggregates.size(); ++i) {
    const AggregateSpec& a = aggregates[i];
    if (a.kind == AggregateKind::kDistinct) {
      const auto n = std::get<DistinctCounter>(window.extras->sketches[d++]).count();
      out[i] = Value::integer(static_cast<std::int64_t>(n));
    } else if (a.kind == AggregateKind::kPercentile) {
      const auto q = std::get<TDigest>(window.extras->sketches[d++]).quantile(a.quantile);
      out[i] = q ? Value::real(*q) : Value();
    } else {
      out[i] = slot_result(a.kind, window.slots[i], window.count);
    }
  }
}

FiringWriter::FiringWriter(const RecordWriterFactory& writers, DataTypePtr schema,
                           const std::vector<AggregateSpec>& aggregates, std::size_t group_fields)
    : writers_(writers), schema_(std::move(schema)), aggregates_(aggregates), group_fields_(group_fields) {
  record_.reset(schema_);
}

void FiringWriter::fire(std::string_view key, const WindowState& window, Firing firing) {
  if (!writer_) writer_ = writers_.open(out_, schema_);
  record_.clear();
  const auto parsed = parse_window_key(key);
  if (!parsed || !split_group(parsed->second, parts_)) parts_.clear();
  std::size_t f = 0;
  for (std::size_t g = 0; g < group_fields_; ++g, ++f) {
    record_[f] = g < parts_.size() && parts_[g] ? Value::string(*parts_[g]) : Value();
  }
  record_[f++] = Value::timestamp(window.start * 1000, window.start_offset);
  record_[f++] = Value::timestamp(window.end * 1000, window.end_offset);
  record_[f++] = Value::string(firing_name(firing));
  // A retraction repeats what the window fired last.
  const FiredResult* retraction = firing == Firing::kRetract ? window.retraction() : nullptr;
  const std::uint64_t count = retraction != nullptr ? retraction->count : window.count;
  record_[f++] = Value::integer(static_cast<std::int64_t>(count));
  if (retraction == nullptr) window_results(aggregates_, window, results_);
  const std::vector<Value>& values = retraction != nullptr ? retraction->values : results_;
  for (std::size_t i = 0; i < aggregates_.size() && i < values.size(); ++i, ++f) record_[f] = values[i];
  writer_->write(record_);
  ++count_;
}

const StringOutput& FiringWriter::finish() {
  if (writer_) {
    writer_->finish();
    writer_.reset();
  }
  return out_;
}

}  // namespace sluice::records
