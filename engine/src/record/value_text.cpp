// Values as text and as JSON. append_json_string is the JSON writer's hot loop: it copies runs of plain
// characters 16 bytes at a time and escapes only what JSON requires.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "sluice/record_value.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sluice {

namespace {

constexpr char kHex[] = "0123456789abcdef";

// Length of the prefix of `s` that needs no JSON escaping.
std::size_t plain_prefix(const char* s, std::size_t n) {
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  for (; i + 16 <= n; i += 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    // Control characters (unsigned byte < 0x20) are exactly those where min(byte, 0x1F) == byte.
    const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(chunk, _mm_set1_epi8(0x1F)), chunk);
    const __m128i special =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash)), control);
    const int mask = _mm_movemask_epi8(special);
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  for (; i < n; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '"' || c == '\\') return i;
  }
  return n;
}

void append_double(double d, std::string& out) {
  if (!std::isfinite(d)) {
    out += std::isnan(d) ? "NaN" : (d > 0 ? "Infinity" : "-Infinity");
    return;
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  out.append(buf, r.ptr);
}

void append_int(std::int64_t i, std::string& out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, i);
  out.append(buf, r.ptr);
}

// JSON for a nested record needs its field names: from `type` when known, else "fN".
void append_json_record(const Value& value, const DataType* type, std::string& out) {
  const DataType* rec = type != nullptr ? &type->non_null() : nullptr;
  if (rec != nullptr && rec->kind != TypeKind::kRecord) rec = nullptr;
  out.push_back('{');
  const auto fields = value.items();
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i != 0) out.push_back(',');
    if (rec != nullptr && i < rec->fields.size()) {
      append_json_string(rec->fields[i].name, out);
      out.push_back(':');
      append_json(fields[i], rec->fields[i].type.get(), out);
    } else {
      // "fN" needs no escaping; appended in pieces because GCC 12 at -O3 reports a false -Wrestrict for
      // "f" + std::to_string(i).
      out.append("\"f").append(std::to_string(i)).push_back('"');
      out.push_back(':');
      append_json(fields[i], nullptr, out);
    }
  }
  out.push_back('}');
}

const DataType* element_type(const DataType* type) {
  if (type == nullptr) return nullptr;
  const DataType& t = type->non_null();
  return (t.kind == TypeKind::kArray || t.kind == TypeKind::kMap) ? t.items.get() : nullptr;
}

}  // namespace

void append_json_string(std::string_view text, std::string& out) {
  out.push_back('"');
  const char* p = text.data();
  std::size_t n = text.size();
  while (n != 0) {
    const std::size_t plain = plain_prefix(p, n);
    out.append(p, plain);
    if (plain == n) break;
    const auto c = static_cast<unsigned char>(p[plain]);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default: {
        const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(esc, sizeof esc);
      }
    }
    p += plain + 1;
    n -= plain + 1;
  }
  out.push_back('"');
}

void append_text(const Value& value, std::string& out) {
  switch (value.kind()) {
    case ValueKind::kNull: return;
    case ValueKind::kBoolean: out += value.as_bool() ? "true" : "false"; return;
    case ValueKind::kInt: append_int(value.as_int(), out); return;
    case ValueKind::kDouble: append_double(value.as_double(), out); return;
    case ValueKind::kDecimal:
    case ValueKind::kString:
    case ValueKind::kBytes: out.append(value.as_text()); return;
    case ValueKind::kDate: append_date(static_cast<std::int32_t>(value.as_int()), out); return;
    case ValueKind::kTime: append_time(value.as_int(), out); return;
    case ValueKind::kTimestamp: append_timestamp(value.as_int(), value.offset_minutes(), out); return;
    case ValueKind::kArray:
    case ValueKind::kMap:
    case ValueKind::kRecord: append_json(value, nullptr, out); return;
  }
}

void append_json(const Value& value, const DataType* type, std::string& out) {
  switch (value.kind()) {
    case ValueKind::kNull: out += "null"; return;
    case ValueKind::kBoolean: out += value.as_bool() ? "true" : "false"; return;
    case ValueKind::kInt: append_int(value.as_int(), out); return;
    case ValueKind::kDouble:
      if (std::isfinite(value.as_double())) {
        append_double(value.as_double(), out);
      } else {
        out += "null";  // JSON has no NaN or infinity
      }
      return;
    case ValueKind::kDecimal: out.append(value.as_text()); return;
    case ValueKind::kString:
    case ValueKind::kBytes: append_json_string(value.as_text(), out); return;
    case ValueKind::kDate:
    case ValueKind::kTime:
    case ValueKind::kTimestamp:
      out.push_back('"');
      append_text(value, out);
      out.push_back('"');
      return;
    case ValueKind::kArray: {
      const DataType* items = element_type(type);
      out.push_back('[');
      bool first = true;
      for (const Value& item : value.items()) {
        if (!first) out.push_back(',');
        first = false;
        append_json(item, items, out);
      }
      out.push_back(']');
      return;
    }
    case ValueKind::kMap: {
      const DataType* values = element_type(type);
      out.push_back('{');
      bool first = true;
      for (const MapEntry& e : value.entries()) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(e.key, out);
        out.push_back(':');
        append_json(e.value, values, out);
      }
      out.push_back('}');
      return;
    }
    case ValueKind::kRecord: append_json_record(value, type, out); return;
  }
}

}  // namespace sluice
