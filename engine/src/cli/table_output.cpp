#include "cli/table_output.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace sluice::cli {

namespace {
constexpr std::size_t kAlignRows = 1000;  // rows buffered to find column widths
constexpr std::size_t kMaxWidth = 80;     // a wider cell widens nothing (it just runs long)

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

nlohmann::ordered_json cell_json(const Cell& c) {
  if (std::holds_alternative<std::int64_t>(c)) return std::get<std::int64_t>(c);
  if (std::holds_alternative<double>(c)) return std::get<double>(c);
  if (std::holds_alternative<std::string>(c)) return std::get<std::string>(c);
  return nullptr;
}
}  // namespace

std::string cell_text(const Cell& c) {
  if (std::holds_alternative<std::int64_t>(c)) return std::to_string(std::get<std::int64_t>(c));
  if (std::holds_alternative<double>(c)) return fmt::format("{}", std::get<double>(c));
  if (std::holds_alternative<std::string>(c)) return std::get<std::string>(c);
  return {};
}

TableOutput::TableOutput(std::ostream& out, OutputFormat format) : out_(out), format_(format) {}

TableOutput::~TableOutput() {
  finish();
}

void TableOutput::columns(std::vector<std::string> names) {
  end_result();
  names_ = std::move(names);
  started_ = true;
  rows_ = 0;
  if (format_ == OutputFormat::kCsv) {
    if (results_ > 0) out_ << '\n';
    std::string line;
    for (std::size_t i = 0; i < names_.size(); ++i) {
      if (i > 0) line += ',';
      line += csv_field(names_[i]);
    }
    out_ << line << '\n';
  }
  ++results_;
}

void TableOutput::row(const std::vector<Cell>& cells) {
  ++rows_;
  if (format_ == OutputFormat::kJson) {
    // Streamed: one array of every row, objects keyed by column name.
    nlohmann::ordered_json o = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < names_.size() && i < cells.size(); ++i) o[names_[i]] = cell_json(cells[i]);
    out_ << (json_rows_ == 0 ? "[\n  " : ",\n  ") << o.dump();
    ++json_rows_;
    return;
  }
  if (format_ == OutputFormat::kCsv) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) line += ',';
      line += csv_field(cell_text(cells[i]));
    }
    out_ << line << '\n';
    return;
  }
  std::vector<std::string> text;
  text.reserve(cells.size());
  for (const Cell& c : cells)
    text.push_back(std::holds_alternative<std::monostate>(c) ? "NULL" : cell_text(c));
  if (!aligned_) {
    buffered_.push_back(std::move(text));
    if (buffered_.size() >= kAlignRows) flush_table();
    return;
  }
  std::string line;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i > 0) line += "  ";
    line += fmt::format("{:<{}}", text[i], i + 1 < text.size() ? widths_[i] : 0);
  }
  out_ << line << '\n';
}

void TableOutput::flush_table() {
  widths_.assign(names_.size(), 0);
  for (std::size_t i = 0; i < names_.size(); ++i) widths_[i] = names_[i].size();
  for (const auto& r : buffered_) {
    for (std::size_t i = 0; i < r.size() && i < widths_.size(); ++i)
      widths_[i] = std::max(widths_[i], std::min(r[i].size(), kMaxWidth));
  }
  auto print = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) line += "  ";
      line += fmt::format("{:<{}}", cells[i], i + 1 < cells.size() ? widths_[i] : 0);
    }
    out_ << line << '\n';
  };
  if (results_ > 1) out_ << '\n';
  print(names_);
  std::vector<std::string> rule;
  for (std::size_t i = 0; i < names_.size(); ++i) rule.emplace_back(widths_[i], '-');
  print(rule);
  for (const auto& r : buffered_) print(r);
  buffered_.clear();
  aligned_ = true;
}

void TableOutput::end_result() {
  if (!started_) return;
  if (format_ == OutputFormat::kTable) {
    if (!aligned_) flush_table();
    out_ << "(" << rows_ << (rows_ == 1 ? " row" : " rows") << ")\n";
  }
  aligned_ = false;
  started_ = false;
}

void TableOutput::finish() {
  if (finished_) return;
  finished_ = true;
  end_result();
  if (format_ == OutputFormat::kJson) out_ << (json_rows_ == 0 ? "[]\n" : "\n]\n");
  out_.flush();
}

}  // namespace sluice::cli
