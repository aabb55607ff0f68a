// Schema evolution under Avro's resolution rules: checking a writer schema against a reader schema, and a
// RecordReader decorator that turns records of the writer schema into records of the reader schema.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/record_io.hpp"

namespace sluice {

namespace {

bool is_named(TypeKind k) {
  return k == TypeKind::kRecord || k == TypeKind::kEnum || k == TypeKind::kFixed;
}

bool names_match(const DataType& writer, const DataType& reader) {
  if (writer.name == reader.name || writer.full_name() == reader.full_name()) return true;
  for (const auto& alias : reader.aliases) {
    if (alias == writer.name || alias == writer.full_name()) return true;
  }
  return false;
}

// Avro's promotions of primitive types (writer → reader).
bool promotes(TypeKind w, TypeKind r) {
  if (w == r) return true;
  switch (w) {
    case TypeKind::kInt: return r == TypeKind::kLong || r == TypeKind::kFloat || r == TypeKind::kDouble;
    case TypeKind::kLong: return r == TypeKind::kFloat || r == TypeKind::kDouble;
    case TypeKind::kFloat: return r == TypeKind::kDouble;
    case TypeKind::kString: return r == TypeKind::kBytes;
    case TypeKind::kBytes: return r == TypeKind::kString;
    default: return false;
  }
}

void check(const DataType& w, const DataType& r, const std::string& path, std::vector<std::string>& problems);

bool compatible(const DataType& w, const DataType& r) {
  std::vector<std::string> p;
  check(w, r, "", p);
  return p.empty();
}

const DataType* matching_branch(const DataType& w, const DataType& reader_union) {
  for (const auto& b : reader_union.branches) {  // first an exact kind (and name) match, then a promotion
    if (b->kind == w.kind && (!is_named(w.kind) || names_match(w, *b)) && compatible(w, *b)) return b.get();
  }
  for (const auto& b : reader_union.branches) {
    if (compatible(w, *b)) return b.get();
  }
  return nullptr;
}

std::string at(const std::string& path) {
  return path.empty() ? std::string("record") : "'" + path + "'";
}

void check(const DataType& w, const DataType& r, const std::string& path,
           std::vector<std::string>& problems) {
  if (w.kind == TypeKind::kUnion) {
    for (const auto& b : w.branches) {
      if (r.kind == TypeKind::kUnion ? matching_branch(*b, r) == nullptr : !compatible(*b, r)) {
        problems.push_back(at(path) + ": writer's union branch " + std::string(type_name(b->kind)) +
                           " has no match in the reader's type");
      }
    }
    return;
  }
  if (r.kind == TypeKind::kUnion) {
    if (matching_branch(w, r) == nullptr) {
      problems.push_back(at(path) + ": writer's type " + std::string(type_name(w.kind)) +
                         " matches no branch of the reader's union");
    }
    return;
  }
  if (w.kind != r.kind) {
    if (!promotes(w.kind, r.kind)) {
      problems.push_back(at(path) + ": " + std::string(type_name(w.kind)) + " cannot be read as " +
                         std::string(type_name(r.kind)));
    }
    return;
  }
  switch (r.kind) {
    case TypeKind::kRecord:
      if (!names_match(w, r)) {
        problems.push_back(at(path) + ": record name '" + w.full_name() + "' does not match '" +
                           r.full_name() + "'");
        return;
      }
      for (const auto& rf : r.fields) {
        const std::string fpath = path.empty() ? rf.name : path + "/" + rf.name;
        int wi = w.field_index(rf.name);
        for (std::size_t a = 0; wi < 0 && a < rf.aliases.size(); ++a) wi = w.field_index(rf.aliases[a]);
        if (wi < 0) {
          if (!rf.default_json) {
            problems.push_back("field '" + fpath + "' is not in the writer's schema and has no default");
          }
          continue;
        }
        check(*w.fields[static_cast<std::size_t>(wi)].type, *rf.type, fpath, problems);
      }
      return;
    case TypeKind::kEnum:
      if (!names_match(w, r)) {
        problems.push_back(at(path) + ": enum name '" + w.full_name() + "' does not match '" + r.full_name() +
                           "'");
      }
      for (const auto& s : w.symbols) {
        if (std::find(r.symbols.begin(), r.symbols.end(), s) == r.symbols.end()) {
          problems.push_back(at(path) + ": enum symbol '" + s + "' is not in the reader's enum");
        }
      }
      return;
    case TypeKind::kFixed:
      if (!names_match(w, r) || w.fixed_size != r.fixed_size) {
        problems.push_back(at(path) + ": fixed types differ in name or size");
      }
      return;
    case TypeKind::kDecimal:
      if (w.scale != r.scale || w.precision > r.precision) {
        problems.push_back(at(path) + ": decimal(" + std::to_string(w.precision) + "," +
                           std::to_string(w.scale) + ") cannot be read as decimal(" +
                           std::to_string(r.precision) + "," + std::to_string(r.scale) + ")");
      }
      return;
    case TypeKind::kArray:
    case TypeKind::kMap: check(*w.items, *r.items, path + "[]", problems); return;
    default: return;
  }
}

// A JSON default as a Value of `type` (a union's default belongs to its first branch).
Value default_value(const nlohmann::json& j, const DataType& type, RecordArena& arena) {
  const DataType& t = type.kind == TypeKind::kUnion ? *type.branches.front() : type;
  std::string reason;
  Value raw;
  switch (j.type()) {
    case nlohmann::json::value_t::null: return {};
    case nlohmann::json::value_t::boolean: raw = Value::boolean(j.get<bool>()); break;
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned: raw = Value::integer(j.get<std::int64_t>()); break;
    case nlohmann::json::value_t::number_float: raw = Value::real(j.get<double>()); break;
    case nlohmann::json::value_t::string: {
      const std::string_view s = arena.copy(j.get_ref<const std::string&>());
      raw = (t.kind == TypeKind::kBytes || t.kind == TypeKind::kFixed) ? Value::bytes(s) : Value::string(s);
      break;
    }
    case nlohmann::json::value_t::array: {
      Value* items = arena.values(j.size());
      for (std::size_t i = 0; i < j.size(); ++i) items[i] = default_value(j[i], *t.items, arena);
      return Value::array(items, j.size());
    }
    case nlohmann::json::value_t::object: {
      if (t.kind == TypeKind::kRecord) {
        Value* fields = arena.values(t.fields.size());
        for (std::size_t i = 0; i < t.fields.size(); ++i) {
          const auto& f = t.fields[i];
          if (j.contains(f.name)) {
            fields[i] = default_value(j.at(f.name), *f.type, arena);
          } else if (f.default_json) {
            fields[i] = default_value(nlohmann::json::parse(*f.default_json), *f.type, arena);
          }
        }
        return Value::record(fields, t.fields.size());
      }
      MapEntry* entries = arena.entries(j.size());
      std::size_t i = 0;
      for (const auto& [k, v] : j.items()) {
        entries[i].key = arena.copy(k);
        entries[i].value = default_value(v, *t.items, arena);
        ++i;
      }
      return Value::map(entries, i);
    }
    default: return {};
  }
  auto v = convert_value(raw, t, arena, reason);
  if (!v) throw SchemaError("default " + j.dump() + " does not fit its field: " + reason);
  return *v;
}

// The writer branch of a union a value was written with: the first whose kind fits the value's kind.
const DataType& writer_branch(const Value& v, const DataType& w) {
  if (w.kind != TypeKind::kUnion) return w;
  for (const auto& b : w.branches) {
    if (v.is_null() ? b->kind == TypeKind::kNull : b->kind != TypeKind::kNull) {
      if (!v.is_null()) {
        RecordArena scratch;
        std::string reason;
        if (convert_value(v, *b, scratch, reason)) return *b;
        continue;
      }
      return *b;
    }
  }
  return w;
}

// Resolves one value from the writer's type to the reader's; nullopt with `reason` when it cannot.
std::optional<Value> resolve(const Value& v, const DataType& w_in, const DataType& r, RecordArena& arena,
                             std::string& reason) {
  const DataType& w = writer_branch(v, w_in);
  if (r.kind == TypeKind::kUnion) {
    if (v.is_null()) {
      if (r.is_nullable()) return Value{};
      reason = "null is not allowed";
      return std::nullopt;
    }
    const DataType* branch = matching_branch(w, r);
    if (branch == nullptr) {
      reason = "no branch of the reader's union matches";
      return std::nullopt;
    }
    return resolve(v, w, *branch, arena, reason);
  }
  if (r.kind == TypeKind::kRecord && v.kind() == ValueKind::kRecord && w.kind == TypeKind::kRecord) {
    Value* fields = arena.values(r.fields.size());
    const auto in = v.items();
    for (std::size_t i = 0; i < r.fields.size(); ++i) {
      const auto& rf = r.fields[i];
      int wi = w.field_index(rf.name);
      for (std::size_t a = 0; wi < 0 && a < rf.aliases.size(); ++a) wi = w.field_index(rf.aliases[a]);
      if (wi < 0 || static_cast<std::size_t>(wi) >= in.size()) {
        fields[i] = rf.default_json ? default_value(nlohmann::json::parse(*rf.default_json), *rf.type, arena)
                                    : Value();
        continue;
      }
      auto f = resolve(in[static_cast<std::size_t>(wi)], *w.fields[static_cast<std::size_t>(wi)].type,
                       *rf.type, arena, reason);
      if (!f) {
        reason.insert(0, ": ").insert(0, rf.name);
        return std::nullopt;
      }
      fields[i] = *f;
    }
    return Value::record(fields, r.fields.size());
  }
  if (r.kind == TypeKind::kArray && v.kind() == ValueKind::kArray && w.kind == TypeKind::kArray) {
    const auto in = v.items();
    Value* items = arena.values(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
      auto item = resolve(in[i], *w.items, *r.items, arena, reason);
      if (!item) return std::nullopt;
      items[i] = *item;
    }
    return Value::array(items, in.size());
  }
  if (r.kind == TypeKind::kMap && v.kind() == ValueKind::kMap && w.kind == TypeKind::kMap) {
    const auto in = v.entries();
    MapEntry* entries = arena.entries(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
      auto item = resolve(in[i].value, *w.items, *r.items, arena, reason);
      if (!item) return std::nullopt;
      entries[i] = MapEntry{in[i].key, *item};
    }
    return Value::map(entries, in.size());
  }
  return convert_value(v, r, arena, reason);
}

class ResolvingReader final : public RecordReader {
 public:
  ResolvingReader(std::unique_ptr<RecordReader> inner, DataTypePtr reader_schema)
      : inner_(std::move(inner)), schema_(std::move(reader_schema)) {}

  [[nodiscard]] const DataTypePtr& schema() const override { return schema_; }

  ReadStatus next(Record& record) override {
    const ReadStatus status = inner_->next(source_);
    if (status != ReadStatus::kRecord) return status;
    record.reset(schema_);
    std::string reason;
    const Value whole = Value::record(source_.fields().data(), source_.fields().size());
    auto resolved = resolve(whole, source_.schema(), *schema_, record.arena(), reason);
    if (!resolved) {
      issue_ = RecordIssue{"record does not resolve to the reader schema: " + reason, inner_->position()};
      return ReadStatus::kInvalid;
    }
    const auto fields = resolved->items();
    std::copy(fields.begin(), fields.end(), record.fields().begin());
    return ReadStatus::kRecord;
  }

  [[nodiscard]] const RecordIssue& issue() const override {
    return issue_.reason.empty() ? inner_->issue() : issue_;
  }
  [[nodiscard]] RecordPosition position() const override { return inner_->position(); }
  [[nodiscard]] std::string_view raw() const override { return inner_->raw(); }
  [[nodiscard]] std::string_view raw_header() const override { return inner_->raw_header(); }

 private:
  std::unique_ptr<RecordReader> inner_;
  DataTypePtr schema_;
  Record source_;
  RecordIssue issue_;
};

}  // namespace

std::vector<std::string> resolution_problems(const DataType& writer, const DataType& reader) {
  std::vector<std::string> problems;
  check(writer, reader, "", problems);
  return problems;
}

std::unique_ptr<RecordReader> resolve_reader(std::unique_ptr<RecordReader> inner, DataTypePtr reader_schema) {
  auto problems = resolution_problems(*inner->schema(), *reader_schema);
  if (!problems.empty()) {
    std::string message = "the reader schema cannot read this data: ";
    for (std::size_t i = 0; i < problems.size(); ++i) message += (i ? "; " : "") + problems[i];
    throw SchemaError(message);
  }
  return std::make_unique<ResolvingReader>(std::move(inner), std::move(reader_schema));
}

}  // namespace sluice
