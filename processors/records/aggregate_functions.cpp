#include "aggregate_functions.hpp"

#include <array>
#include <charconv>
#include <stdexcept>
#include <utility>

#include "text_lists.hpp"

namespace sluice::records {

namespace {

struct FunctionName {
  std::string_view name;
  AggregateKind kind;
};

constexpr std::array<FunctionName, 12> kFunctions{{{"count", AggregateKind::kCount},
                                                   {"sum", AggregateKind::kSum},
                                                   {"min", AggregateKind::kMin},
                                                   {"max", AggregateKind::kMax},
                                                   {"avg", AggregateKind::kAvg},
                                                   {"first", AggregateKind::kFirst},
                                                   {"last", AggregateKind::kLast},
                                                   {"count_if", AggregateKind::kCountIf},
                                                   {"share_if", AggregateKind::kShareIf},
                                                   {"distinct", AggregateKind::kDistinct},
                                                   {"percentile", AggregateKind::kPercentile},
                                                   {"median", AggregateKind::kPercentile}}};

}  // namespace

bool reads_path(AggregateKind kind) {
  return kind != AggregateKind::kCount && kind != AggregateKind::kCountIf && kind != AggregateKind::kShareIf;
}

bool uses_sketch(AggregateKind kind) {
  return kind == AggregateKind::kDistinct || kind == AggregateKind::kPercentile;
}

bool is_whole(AggregateKind kind) {
  return kind == AggregateKind::kCount || kind == AggregateKind::kCountIf || kind == AggregateKind::kDistinct;
}

AggregateSpec parse_aggregate(std::string_view name, std::string_view text) {
  const std::string_view t = trim_blanks(text);
  const auto open = t.find('(');
  if (open == std::string_view::npos || t.back() != ')') {
    throw std::invalid_argument("aggregate '" + std::string(name) + "': expected function(argument), got '" +
                                std::string(t) + "'");
  }
  const std::string_view function = trim_blanks(t.substr(0, open));
  const std::string_view argument = trim_blanks(t.substr(open + 1, t.size() - open - 2));
  AggregateSpec spec;
  spec.name = std::string(name);
  spec.argument = std::string(argument);
  bool known = false;
  for (const auto& f : kFunctions) {
    if (f.name == function) {
      spec.kind = f.kind;
      known = true;
    }
  }
  if (!known) {
    throw std::invalid_argument("aggregate '" + spec.name + "': unknown function '" + std::string(function) +
                                "' (count, sum, min, max, avg, first, last, count_if, share_if, distinct, "
                                "percentile, median)");
  }
  if (function == "median") {
    spec.quantile = 0.5;
  } else if (spec.kind == AggregateKind::kPercentile) {
    // percentile(/path, q): the quantile after the last comma, as a fraction (0.95) of the values.
    const auto comma = argument.rfind(',');
    const std::string_view q =
        comma == std::string_view::npos ? std::string_view() : trim_blanks(argument.substr(comma + 1));
    const auto [end, error] = std::from_chars(q.data(), q.data() + q.size(), spec.quantile);
    if (q.empty() || error != std::errc() || end != q.data() + q.size() || !(spec.quantile >= 0) ||
        spec.quantile > 1) {
      throw std::invalid_argument(
          "aggregate '" + spec.name +
          "': percentile() takes a record path and a quantile between 0 and 1, such as "
          "percentile(/kwh, 0.95)");
    }
    spec.argument = std::string(trim_blanks(argument.substr(0, comma)));
  }
  if (spec.kind == AggregateKind::kCount) {
    if (!argument.empty())
      throw std::invalid_argument("aggregate '" + spec.name + "': count() takes no argument");
  } else if (reads_path(spec.kind)) {
    if (spec.argument.empty() || spec.argument.front() != '/') {
      throw std::invalid_argument("aggregate '" + spec.name + "': " + std::string(function) +
                                  "() takes a record path such as /kwh");
    }
  } else {
    if (argument.empty()) {
      throw std::invalid_argument("aggregate '" + spec.name + "': " + std::string(function) +
                                  "() takes a boolean expression such as ${delay_s:le(900)}");
    }
    try {
      spec.condition = Expression::compile(argument);
    } catch (const ExpressionError& e) {
      throw std::invalid_argument("aggregate '" + spec.name + "': column " +
                                  std::to_string(open + 1 + e.column()) + ": " + e.what());
    }
  }
  return spec;
}

void update_slot(AggregateKind kind, AggregateSlot& slot, std::optional<double> value, bool matched,
                 std::int64_t event_ms) {
  switch (kind) {
    case AggregateKind::kCount:
    case AggregateKind::kDistinct:
    case AggregateKind::kPercentile: return;
    case AggregateKind::kCountIf:
    case AggregateKind::kShareIf:
      if (matched) ++slot.n;
      return;
    default: break;
  }
  if (!value) return;
  const double v = *value;
  switch (kind) {
    case AggregateKind::kSum:
    case AggregateKind::kAvg: slot.value += v; break;
    case AggregateKind::kMin:
      if (slot.n == 0 || v < slot.value) slot.value = v;
      break;
    case AggregateKind::kMax:
      if (slot.n == 0 || v > slot.value) slot.value = v;
      break;
    case AggregateKind::kFirst:
      if (slot.n == 0 || event_ms < slot.time) {  // ties: the record that arrived first
        slot.value = v;
        slot.time = event_ms;
      }
      break;
    case AggregateKind::kLast:
      if (slot.n == 0 || event_ms >= slot.time) {  // ties: the record that arrived last
        slot.value = v;
        slot.time = event_ms;
      }
      break;
    default: break;
  }
  ++slot.n;
}

void merge_slot(AggregateKind kind, AggregateSlot& slot, const AggregateSlot& other) {
  if (other.n == 0) return;
  switch (kind) {
    case AggregateKind::kSum:
    case AggregateKind::kAvg: slot.value += other.value; break;
    case AggregateKind::kMin:
      if (slot.n == 0 || other.value < slot.value) slot.value = other.value;
      break;
    case AggregateKind::kMax:
      if (slot.n == 0 || other.value > slot.value) slot.value = other.value;
      break;
    case AggregateKind::kFirst:
      if (slot.n == 0 || other.time < slot.time) {
        slot.value = other.value;
        slot.time = other.time;
      }
      break;
    case AggregateKind::kLast:
      if (slot.n == 0 || other.time >= slot.time) {
        slot.value = other.value;
        slot.time = other.time;
      }
      break;
    default: break;
  }
  slot.n += other.n;
}

Value slot_result(AggregateKind kind, const AggregateSlot& slot, std::uint64_t count) {
  switch (kind) {
    case AggregateKind::kCount: return Value::integer(static_cast<std::int64_t>(count));
    case AggregateKind::kCountIf: return Value::integer(slot.n);
    case AggregateKind::kShareIf:
      return count == 0 ? Value() : Value::real(static_cast<double>(slot.n) / static_cast<double>(count));
    case AggregateKind::kAvg:
      return slot.n == 0 ? Value() : Value::real(slot.value / static_cast<double>(slot.n));
    default: return slot.n == 0 ? Value() : Value::real(slot.value);
  }
}

std::optional<double> numeric_value(const Value* value) {
  if (value == nullptr) return std::nullopt;
  switch (value->kind()) {
    case ValueKind::kInt: return static_cast<double>(value->as_int());
    case ValueKind::kDouble: return value->as_double();
    case ValueKind::kBoolean: return value->as_bool() ? 1.0 : 0.0;
    case ValueKind::kDecimal:
    case ValueKind::kString: {
      const std::string_view text = value->as_text();
      double d = 0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), d);
      if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
      return d;
    }
    default: return std::nullopt;
  }
}

std::uint64_t value_hash(const Value* value, std::string& scratch) {
  scratch.clear();
  if (value != nullptr) append_text(*value, scratch);
  // FNV-1a, then a final mix so that near-identical texts spread over all 64 bits.
  std::uint64_t h = 1469598103934665603ULL;
  for (const char c : scratch) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return value == nullptr || value->is_null() ? 0 : h | 1;  // 0 is reserved for null
}

}  // namespace sluice::records
