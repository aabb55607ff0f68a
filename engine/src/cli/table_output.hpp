// Rows to stdout as an aligned table, CSV (RFC 4180) or a JSON array of objects, streaming: a table is
// aligned on its first rows and later rows follow with the same widths.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include "cli/commands.hpp"

namespace sluice::cli {

// A value: NULL, an integer, a real or text.
using Cell = std::variant<std::monostate, std::int64_t, double, std::string>;

class TableOutput {
 public:
  TableOutput(std::ostream& out, OutputFormat format);
  ~TableOutput();
  TableOutput(const TableOutput&) = delete;
  TableOutput& operator=(const TableOutput&) = delete;

  // Starts a result (a statement's columns); a previous one is finished first.
  void columns(std::vector<std::string> names);
  void row(const std::vector<Cell>& cells);
  // Ends the output (also done by the destructor).
  void finish();

 private:
  void flush_table();
  void end_result();

  std::ostream& out_;
  OutputFormat format_;
  std::vector<std::string> names_;
  std::vector<std::vector<std::string>> buffered_;
  std::vector<std::size_t> widths_;
  bool aligned_ = false;
  bool started_ = false;
  bool finished_ = false;
  std::size_t results_ = 0;
  std::size_t rows_ = 0;
  std::size_t json_rows_ = 0;
};

std::string cell_text(const Cell& c);

}  // namespace sluice::cli
