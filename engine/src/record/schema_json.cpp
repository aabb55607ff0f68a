// Avro schema JSON in and out (nlohmann::json: schemas are parsed once per flow or file, not per record).
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "sluice/record_schema.hpp"

namespace sluice {

namespace {

using Json = nlohmann::ordered_json;

class SchemaParser {
 public:
  DataTypePtr parse(const Json& j, const std::string& path, const std::string& enclosing_ns) {
    if (j.is_string()) return from_name(j.get<std::string>(), path, enclosing_ns);
    if (j.is_array()) return parse_union(j, path, enclosing_ns);
    if (!j.is_object()) fail(path, "a type must be a name, an object or an array (a union)");
    auto type_it = j.find("type");
    if (type_it == j.end()) fail(path, "missing \"type\"");
    if (!type_it->is_string()) return parse(*type_it, path + ".type", enclosing_ns);
    const std::string type = type_it->get<std::string>();
    DataTypePtr result;
    if (type == "record" || type == "error") {
      result = parse_record(j, path, enclosing_ns);
    } else if (type == "enum") {
      result = parse_enum(j, path, enclosing_ns);
    } else if (type == "fixed") {
      result = parse_fixed(j, path, enclosing_ns);
    } else if (type == "array") {
      result = collection(TypeKind::kArray, j, "items", path, enclosing_ns);
    } else if (type == "map") {
      result = collection(TypeKind::kMap, j, "values", path, enclosing_ns);
    } else {
      result = from_name(type, path + ".type", enclosing_ns);
    }
    return apply_logical(j, result, path);
  }

 private:
  [[noreturn]] static void fail(const std::string& path, const std::string& what) {
    throw SchemaError("schema " + (path.empty() ? std::string("root") : path) + ": " + what);
  }

  static std::string string_member(const Json& j, const char* key, const std::string& path) {
    auto it = j.find(key);
    if (it == j.end()) return {};
    if (!it->is_string()) fail(path + "." + key, "must be a string");
    return it->get<std::string>();
  }

  static std::vector<std::string> aliases(const Json& j, const std::string& path) {
    std::vector<std::string> out;
    auto it = j.find("aliases");
    if (it == j.end()) return out;
    if (!it->is_array()) fail(path + ".aliases", "must be an array of names");
    for (const auto& a : *it) {
      if (!a.is_string()) fail(path + ".aliases", "must be an array of names");
      out.push_back(a.get<std::string>());
    }
    return out;
  }

  static bool valid_name(std::string_view n) {
    if (n.empty()) return false;
    for (std::size_t i = 0; i < n.size(); ++i) {
      const char c = n[i];
      const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
      if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
    }
    return true;
  }

  // Sets name and namespace of a named type and registers it.
  void name_type(DataType& t, const Json& j, const std::string& path, std::string& ns_out,
                 const std::string& enclosing_ns) {
    t.name = string_member(j, "name", path);
    if (t.name.empty()) fail(path, "a named type needs a \"name\"");
    t.name_space = j.contains("namespace") ? string_member(j, "namespace", path) : enclosing_ns;
    if (auto dot = t.name.rfind('.'); dot != std::string::npos) {
      t.name_space = t.name.substr(0, dot);
      t.name = t.name.substr(dot + 1);
    }
    if (!valid_name(t.name)) fail(path + ".name", "'" + t.name + "' is not a valid Avro name");
    t.aliases = aliases(j, path);
    t.doc = string_member(j, "doc", path);
    ns_out = t.name_space;
  }

  void define(const DataTypePtr& t, const std::string& path) {
    const std::string full = t->full_name();
    if (named_.count(full) != 0) fail(path, "type '" + full + "' is defined twice");
    named_[full] = t;
  }

  DataTypePtr parse_record(const Json& j, const std::string& path, const std::string& enclosing_ns) {
    auto t = std::make_shared<DataType>();
    t->kind = TypeKind::kRecord;
    std::string ns;
    name_type(*t, j, path, ns, enclosing_ns);
    pending_.insert(t->full_name());
    auto it = j.find("fields");
    if (it == j.end() || !it->is_array()) fail(path, "a record needs a \"fields\" array");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const Json& fj = (*it)[i];
      const std::string fpath = path + (path.empty() ? "" : ".") + "fields[" + std::to_string(i) + "]";
      if (!fj.is_object()) fail(fpath, "a field must be an object");
      Field f;
      f.name = string_member(fj, "name", fpath);
      if (!valid_name(f.name)) fail(fpath + ".name", "'" + f.name + "' is not a valid field name");
      if (t->field_index(f.name) >= 0) fail(fpath, "field '" + f.name + "' appears twice");
      if (!fj.contains("type")) fail(fpath, "missing \"type\"");
      f.type = parse(fj.at("type"), fpath + ".type", ns);
      if (auto d = fj.find("default"); d != fj.end()) f.default_json = d->dump();
      f.aliases = aliases(fj, fpath);
      f.doc = string_member(fj, "doc", fpath);
      t->fields.push_back(std::move(f));
    }
    pending_.erase(t->full_name());
    define(t, path);
    return t;
  }

  DataTypePtr parse_enum(const Json& j, const std::string& path, const std::string& enclosing_ns) {
    auto t = std::make_shared<DataType>();
    t->kind = TypeKind::kEnum;
    std::string ns;
    name_type(*t, j, path, ns, enclosing_ns);
    auto it = j.find("symbols");
    if (it == j.end() || !it->is_array()) fail(path, "an enum needs a \"symbols\" array");
    for (const auto& s : *it) {
      if (!s.is_string() || !valid_name(s.get<std::string>())) fail(path + ".symbols", "invalid symbol");
      t->symbols.push_back(s.get<std::string>());
    }
    define(t, path);
    return t;
  }

  DataTypePtr parse_fixed(const Json& j, const std::string& path, const std::string& enclosing_ns) {
    auto t = std::make_shared<DataType>();
    t->kind = TypeKind::kFixed;
    std::string ns;
    name_type(*t, j, path, ns, enclosing_ns);
    auto it = j.find("size");
    if (it == j.end() || !it->is_number_unsigned()) fail(path, "a fixed type needs a non-negative \"size\"");
    t->fixed_size = it->get<std::size_t>();
    define(t, path);
    return t;
  }

  DataTypePtr collection(TypeKind kind, const Json& j, const char* key, const std::string& path,
                         const std::string& ns) {
    auto it = j.find(key);
    if (it == j.end()) fail(path, std::string("missing \"") + key + "\"");
    auto t = std::make_shared<DataType>();
    t->kind = kind;
    t->items = parse(*it, path + "." + key, ns);
    return t;
  }

  DataTypePtr parse_union(const Json& j, const std::string& path, const std::string& ns) {
    auto t = std::make_shared<DataType>();
    t->kind = TypeKind::kUnion;
    for (std::size_t i = 0; i < j.size(); ++i) {
      auto branch = parse(j[i], path + "[" + std::to_string(i) + "]", ns);
      if (branch->kind == TypeKind::kUnion) fail(path, "a union cannot contain a union");
      for (const auto& b : t->branches) {
        const bool named =
            b->kind == TypeKind::kRecord || b->kind == TypeKind::kEnum || b->kind == TypeKind::kFixed;
        if (b->kind == branch->kind && (!named || b->full_name() == branch->full_name())) {
          fail(path, "a union cannot contain two branches of type " + std::string(type_name(b->kind)));
        }
      }
      t->branches.push_back(std::move(branch));
    }
    if (t->branches.empty()) fail(path, "a union needs at least one branch");
    return t;
  }

  DataTypePtr from_name(const std::string& n, const std::string& path, const std::string& ns) {
    static const std::map<std::string, TypeKind, std::less<>> kPrimitives = {
        {"null", TypeKind::kNull},   {"boolean", TypeKind::kBoolean}, {"int", TypeKind::kInt},
        {"long", TypeKind::kLong},   {"float", TypeKind::kFloat},     {"double", TypeKind::kDouble},
        {"bytes", TypeKind::kBytes}, {"string", TypeKind::kString}};
    if (auto p = kPrimitives.find(n); p != kPrimitives.end()) return DataType::primitive(p->second);
    const std::string qualified = (n.find('.') == std::string::npos && !ns.empty()) ? ns + "." + n : n;
    for (const auto& candidate : {qualified, n}) {
      if (auto it = named_.find(candidate); it != named_.end()) return it->second;
      if (pending_.count(candidate) != 0) fail(path, "recursive type '" + candidate + "' is not supported");
    }
    fail(path, "unknown type '" + n + "'");
  }

  static DataTypePtr apply_logical(const Json& j, DataTypePtr base, const std::string& path) {
    auto it = j.find("logicalType");
    if (it == j.end() || !it->is_string()) return base;
    const std::string logical = it->get<std::string>();
    auto derived = [&](TypeKind kind) {
      auto t = std::make_shared<DataType>(*base);
      t->kind = kind;
      return DataTypePtr(t);
    };
    // Avro: a logical type that does not fit its underlying type is ignored, not an error.
    const TypeKind k = base->kind;
    if (logical == "decimal" && (k == TypeKind::kBytes || k == TypeKind::kFixed)) {
      auto p = j.find("precision");
      if (p == j.end() || !p->is_number_integer() || p->get<int>() < 1) {
        fail(path, "decimal needs a positive \"precision\"");
      }
      const int scale =
          j.contains("scale") && j.at("scale").is_number_integer() ? j.at("scale").get<int>() : 0;
      if (scale < 0 || scale > p->get<int>()) fail(path, "decimal scale must be between 0 and precision");
      auto t = std::make_shared<DataType>(*base);
      t->kind = TypeKind::kDecimal;
      t->precision = p->get<int>();
      t->scale = scale;
      if (k == TypeKind::kBytes) t->name.clear();
      return t;
    }
    if (logical == "date" && k == TypeKind::kInt) return derived(TypeKind::kDate);
    if (logical == "time-millis" && k == TypeKind::kInt) return derived(TypeKind::kTimeMillis);
    if (logical == "time-micros" && k == TypeKind::kLong) return derived(TypeKind::kTimeMicros);
    if ((logical == "timestamp-millis" || logical == "local-timestamp-millis") && k == TypeKind::kLong) {
      return derived(TypeKind::kTimestampMillis);
    }
    if ((logical == "timestamp-micros" || logical == "local-timestamp-micros") && k == TypeKind::kLong) {
      return derived(TypeKind::kTimestampMicros);
    }
    return base;
  }

  std::map<std::string, DataTypePtr, std::less<>> named_;
  std::set<std::string, std::less<>> pending_;
};

class SchemaWriter {
 public:
  Json write(const DataType& t, const std::string& enclosing_ns) {
    switch (t.kind) {
      case TypeKind::kNull:
      case TypeKind::kBoolean:
      case TypeKind::kInt:
      case TypeKind::kLong:
      case TypeKind::kFloat:
      case TypeKind::kDouble:
      case TypeKind::kBytes:
      case TypeKind::kString: return std::string(type_name(t.kind));
      case TypeKind::kDate: return logical("int", "date");
      case TypeKind::kTimeMillis: return logical("int", "time-millis");
      case TypeKind::kTimeMicros: return logical("long", "time-micros");
      case TypeKind::kTimestampMillis: return logical("long", "timestamp-millis");
      case TypeKind::kTimestampMicros: return logical("long", "timestamp-micros");
      case TypeKind::kDecimal: {
        Json j = Json::object();
        if (t.fixed_size > 0) {
          if (auto r = reference(t, enclosing_ns)) return *r;
          j = named_header("fixed", t, enclosing_ns);
          j["size"] = t.fixed_size;
        } else {
          j["type"] = "bytes";
        }
        j["logicalType"] = "decimal";
        j["precision"] = t.precision;
        j["scale"] = t.scale;
        return j;
      }
      case TypeKind::kEnum: {
        if (auto r = reference(t, enclosing_ns)) return *r;
        Json j = named_header("enum", t, enclosing_ns);
        j["symbols"] = t.symbols;
        return j;
      }
      case TypeKind::kFixed: {
        if (auto r = reference(t, enclosing_ns)) return *r;
        Json j = named_header("fixed", t, enclosing_ns);
        j["size"] = t.fixed_size;
        return j;
      }
      case TypeKind::kArray: return Json{{"type", "array"}, {"items", write(*t.items, enclosing_ns)}};
      case TypeKind::kMap: return Json{{"type", "map"}, {"values", write(*t.items, enclosing_ns)}};
      case TypeKind::kUnion: {
        Json j = Json::array();
        for (const auto& b : t.branches) j.push_back(write(*b, enclosing_ns));
        return j;
      }
      case TypeKind::kRecord: {
        if (auto r = reference(t, enclosing_ns)) return *r;
        Json j = named_header("record", t, enclosing_ns);
        Json fields = Json::array();
        for (const auto& f : t.fields) {
          Json fj = Json::object();
          fj["name"] = f.name;
          fj["type"] = write(*f.type, t.name_space.empty() ? enclosing_ns : t.name_space);
          if (f.default_json) fj["default"] = Json::parse(*f.default_json);
          if (!f.aliases.empty()) fj["aliases"] = f.aliases;
          if (!f.doc.empty()) fj["doc"] = f.doc;
          fields.push_back(std::move(fj));
        }
        j["fields"] = std::move(fields);
        return j;
      }
    }
    return nullptr;
  }

 private:
  static Json logical(const char* base, const char* name) {
    return Json{{"type", base}, {"logicalType", name}};
  }

  std::optional<Json> reference(const DataType& t, const std::string& /*enclosing_ns*/) {
    const std::string full = t.full_name();
    if (written_.count(full) != 0) return Json(full);
    written_.insert(full);
    return std::nullopt;
  }

  static Json named_header(const char* kind, const DataType& t, const std::string& enclosing_ns) {
    Json j = Json::object();
    j["type"] = kind;
    j["name"] = t.name.empty() ? std::string("record") : t.name;
    if (!t.name_space.empty() && t.name_space != enclosing_ns) j["namespace"] = t.name_space;
    if (!t.aliases.empty()) j["aliases"] = t.aliases;
    if (!t.doc.empty()) j["doc"] = t.doc;
    return j;
  }

  std::set<std::string, std::less<>> written_;
};

}  // namespace

DataTypePtr parse_avro_schema(std::string_view json) {
  Json j;
  try {
    j = Json::parse(json.begin(), json.end());
  } catch (const Json::parse_error& e) {
    throw SchemaError("schema is not valid JSON at byte " + std::to_string(e.byte) + ": " + e.what());
  }
  SchemaParser parser;
  auto t = parser.parse(j, "", "");
  if (t->kind != TypeKind::kRecord)
    throw SchemaError("schema root: must be a record, not " + std::string(type_name(t->kind)));
  return t;
}

std::string to_avro_json(const DataType& type) {
  SchemaWriter writer;
  return writer.write(type, "").dump();
}

}  // namespace sluice
