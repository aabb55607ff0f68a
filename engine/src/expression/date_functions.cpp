// Dates: now() from the engine's injectable clock, format/toDate with SimpleDateFormat patterns. Without a
// time zone argument, dates are read and written in UTC: servers and containers then agree, whatever TZ
// the host has. Literal patterns and zones are compiled once, at compile time.
#include <memory>

#include <fmt/format.h>

#include "expression/date_format.hpp"
#include "expression/functions.hpp"

namespace sluice::internal::el::fn {

namespace {

struct PreparedDate {
  std::optional<DatePattern> pattern;
  std::optional<TimeZone> zone;
};

DatePattern compile_pattern(std::string_view text, const std::function<void(const std::string&)>& fail) {
  try {
    return DatePattern::compile(text);
  } catch (const std::invalid_argument& e) {
    fail(e.what());
  }
  return {};
}

std::string zone_error(std::string_view id) {
  return fmt::format(
      "unknown time zone '{}' (expected an IANA name such as America/New_York, UTC, or an "
      "offset such as GMT+02:00)",
      id);
}

struct Resolved {
  const DatePattern* pattern = nullptr;
  TimeZone zone;
};

// The pattern (argument `pattern_arg`, if present) and zone (the argument after it) of a call.
Resolved resolve(const Call& c, std::size_t pattern_arg, DatePattern& storage) {
  Resolved r;
  const auto* prepared = std::any_cast<std::shared_ptr<const PreparedDate>>(&c.node().prepared);
  if (c.arg_count() > pattern_arg) {
    if (prepared != nullptr && (*prepared)->pattern) {
      r.pattern = &*(*prepared)->pattern;
    } else {
      storage = compile_pattern(c.text_arg(pattern_arg), [&c](const std::string& m) { c.fail(m); });
      r.pattern = &storage;
    }
  }
  if (c.arg_count() > pattern_arg + 1) {
    if (prepared != nullptr && (*prepared)->zone) {
      r.zone = *(*prepared)->zone;
    } else {
      const std::string_view id = c.text_arg(pattern_arg + 1);
      auto zone = TimeZone::find(id);
      if (!zone) c.fail(zone_error(id));
      r.zone = *zone;
    }
  }
  return r;
}

// The subject as milliseconds since the epoch: a date, a number, or numeric text.
std::optional<std::int64_t> instant_of(const Call& c) {
  const Value& s = c.subject();
  if (s.type == Type::kDate) return s.whole;
  auto n = to_number(s, c);
  if (!n) return std::nullopt;
  return n->is_decimal ? static_cast<std::int64_t>(n->decimal) : n->whole;
}

Value parse_date(const Call& c) {
  if (c.subject().is_null()) return Value::null();
  const std::string_view text = c.subject_text();
  DatePattern storage;
  const Resolved r = resolve(c, 0, storage);
  if (r.pattern == nullptr) {
    // No pattern: milliseconds since the epoch, or Java's Date.toString form.
    if (auto n = parse_number(text); n && !n->is_decimal) return Value::date(n->whole);
    std::string error;
    if (auto ms = java_date_string_pattern().parse(text, TimeZone(), year_of(c.env().now_ms), error)) {
      return Value::date(*ms);
    }
    c.fail(
        fmt::format("'{}' is neither milliseconds since the epoch nor a date such as "
                    "'Tue Nov 14 22:13:20 UTC 2023' (give a pattern: toDate('yyyy-MM-dd'))",
                    text));
  }
  std::string error;
  auto ms = r.pattern->parse(text, r.zone, year_of(c.env().now_ms), error);
  if (!ms) c.fail(error);
  return Value::date(*ms);
}

}  // namespace

void prepare_date(const PrepareContext& context) {
  auto prepared = std::make_shared<PreparedDate>();
  if (const ExpressionNode* pattern = context.literal_arg(0)) {
    prepared->pattern =
        compile_pattern(pattern->text, [&context](const std::string& m) { context.fail(0, m); });
  }
  if (const ExpressionNode* zone = context.literal_arg(1)) {
    prepared->zone = TimeZone::find(zone->text);
    if (!prepared->zone) context.fail(1, zone_error(zone->text));
  }
  context.node.prepared = std::shared_ptr<const PreparedDate>(std::move(prepared));
}

Value now(const Call& c) {
  return Value::date(c.env().now_ms);
}

Value format(const Call& c) {
  auto ms = instant_of(c);
  if (!ms) return Value::null();
  DatePattern storage;
  const Resolved r = resolve(c, 0, storage);
  std::string& out = c.buffer();
  r.pattern->format(*ms, r.zone, out);
  return Value::string(out);
}

Value to_date(const Call& c) {
  if (c.subject().type == Type::kDate) return c.subject();
  if (c.subject().is_number()) {
    auto ms = instant_of(c);
    return Value::date(*ms);
  }
  return parse_date(c);
}

}  // namespace sluice::internal::el::fn
