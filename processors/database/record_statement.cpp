#include "record_statement.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <stdexcept>

#include "sql_text.hpp"

namespace sluice::database {

namespace {

std::optional<std::size_t> find_column(const std::vector<std::string>& columns, std::string_view name) {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) return i;
  }
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (same_name(columns[i], name)) return i;
  }
  return std::nullopt;
}

struct Binding {
  std::size_t field;
  std::string column;
};

}  // namespace

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    std::string_view part = text.substr(start, comma - start);
    while (!part.empty() && std::isspace(static_cast<unsigned char>(part.front())) != 0)
      part.remove_prefix(1);
    while (!part.empty() && std::isspace(static_cast<unsigned char>(part.back())) != 0) part.remove_suffix(1);
    if (!part.empty()) out.emplace_back(part);
    start = comma + 1;
  }
  return out;
}

RecordStatement build_record_statement(const DataType& schema, const StatementRequest& request) {
  std::vector<Binding> bound;
  for (std::size_t f = 0; f < schema.fields.size(); ++f) {
    const std::string& name = schema.fields[f].name;
    if (auto c = find_column(request.columns, name)) {
      bound.push_back({f, request.columns[*c]});
    } else if (request.fail_unmatched_fields) {
      throw std::invalid_argument("field '" + name + "' has no column in table " + request.table);
    }
  }
  if (bound.empty())
    throw std::invalid_argument("no field of the records matches a column of " + request.table);

  std::vector<Binding> keys;
  for (const auto& key : request.key_columns) {
    auto it =
        std::find_if(bound.begin(), bound.end(), [&](const Binding& b) { return same_name(b.column, key); });
    if (it == bound.end())
      throw std::invalid_argument("key column '" + key + "' has no field in the records");
    keys.push_back(*it);
  }
  auto is_key = [&](const Binding& b) {
    return std::any_of(keys.begin(), keys.end(), [&](const Binding& k) { return k.column == b.column; });
  };
  if ((request.type == StatementType::kUpdate || request.type == StatementType::kUpsert) && keys.empty()) {
    throw std::invalid_argument("UPDATE and UPSERT need key_columns");
  }

  RecordStatement out;
  std::string& sql = out.sql;
  auto param = [&](const Binding& b) {
    out.fields.push_back(b.field);
    return placeholder(request.dialect, out.fields.size());
  };
  auto where = [&](const std::vector<Binding>& conditions) {
    sql += " WHERE ";
    for (std::size_t i = 0; i < conditions.size(); ++i) {
      if (i > 0) sql += " AND ";
      sql += quote_identifier(conditions[i].column) + " = " + param(conditions[i]);
    }
  };
  const std::string table = quote_table(request.table);
  switch (request.type) {
    case StatementType::kInsert:
    case StatementType::kUpsert: {
      sql = "INSERT INTO " + table + " (";
      std::string values;
      for (std::size_t i = 0; i < bound.size(); ++i) {
        if (i > 0) {
          sql += ", ";
          values += ", ";
        }
        sql += quote_identifier(bound[i].column);
        values += param(bound[i]);
      }
      sql += ") VALUES (" + values + ")";
      if (request.type == StatementType::kUpsert) {
        sql += " ON CONFLICT (";
        for (std::size_t i = 0; i < keys.size(); ++i)
          sql += (i > 0 ? ", " : "") + quote_identifier(keys[i].column);
        sql += ")";
        std::string sets;
        for (const auto& b : bound) {
          if (is_key(b)) continue;
          const std::string column = quote_identifier(b.column);
          if (!sets.empty()) sets += ", ";
          sets.append(column).append(" = excluded.").append(column);
        }
        sql += sets.empty() ? " DO NOTHING" : " DO UPDATE SET " + sets;
      }
      break;
    }
    case StatementType::kUpdate: {
      sql = "UPDATE " + table + " SET ";
      bool first = true;
      for (const auto& b : bound) {
        if (is_key(b)) continue;
        sql += (first ? "" : ", ") + quote_identifier(b.column) + " = " + param(b);
        first = false;
      }
      if (first) throw std::invalid_argument("UPDATE has no column to set besides the key columns");
      where(keys);
      break;
    }
    case StatementType::kDelete:
      sql = "DELETE FROM " + table;
      where(keys.empty() ? bound : keys);
      break;
  }
  return out;
}

}  // namespace sluice::database
