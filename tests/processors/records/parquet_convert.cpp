// Runs ConvertRecord (CSVReader → ParquetWriter) once through the test kit, for the independent readers'
// test (parquet/js/convert_test.mjs):
//
//   parquet_convert INPUT.csv OUT_DIR [csv.KEY=VALUE | parquet.KEY=VALUE]...
//
// Writes each FlowFile routed to success as OUT_DIR/success-N.parquet and prints, as JSON on stdout, what
// came out: {"success": [{attributes}], "failure": [{"content": ..., attributes}]}.
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "convert_record.hpp"
#include "csv_services.hpp"
#include "parquet_services.hpp"
#include "sluice/testkit.hpp"

namespace {

using nlohmann::json;
using Properties = std::map<std::string, std::string>;

json attributes(const sluice::testkit::OutputFlowFile& ff) {
  json out = json::object();
  for (const auto& [name, value] : ff.attributes) out[name] = value;
  return out;
}

int run(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: parquet_convert INPUT.csv OUT_DIR [csv.KEY=VALUE | parquet.KEY=VALUE]...\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) throw std::runtime_error(std::string("cannot read ") + argv[1]);
  std::ostringstream content;
  content << in.rdbuf();
  const std::string out_dir = argv[2];

  Properties csv;
  Properties parquet;
  for (int i = 3; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto dot = arg.find('.');
    const auto eq = arg.find('=');
    if (dot == std::string::npos || eq == std::string::npos || eq < dot) {
      throw std::runtime_error("not SERVICE.KEY=VALUE: " + arg);
    }
    Properties& target = arg.substr(0, dot) == "csv" ? csv : parquet;
    target[arg.substr(dot + 1, eq - dot - 1)] = arg.substr(eq + 1);
  }

  sluice::testkit::ProcessorRunner runner(sluice::records::convert_record_definition());
  runner.add_service("csv", sluice::records::csv_reader_definition(), csv);
  runner.add_service("parquet", sluice::records::parquet_writer_definition(), parquet);
  runner.set_property("reader", "csv");
  runner.set_property("writer", "parquet");
  runner.enqueue(content.str(), {{"filename", "input.csv"}});
  runner.run();

  json report = {{"success", json::array()}, {"failure", json::array()}};
  int n = 0;
  for (const auto& ff : runner.take("success")) {
    const std::string path = out_dir + "/success-" + std::to_string(n++) + ".parquet";
    std::ofstream out(path, std::ios::binary);
    out.write(ff.content.data(), static_cast<std::streamsize>(ff.content.size()));
    if (!out.flush()) throw std::runtime_error("cannot write " + path);
    report["success"].push_back(attributes(ff));
  }
  for (const auto& ff : runner.take("failure")) {
    json entry = attributes(ff);
    entry["content"] = ff.content;
    report["failure"].push_back(entry);
  }
  std::cout << report.dump() << '\n';
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "parquet_convert: " << e.what() << '\n';
    return 1;
  }
}
