// Expression evaluations per second for the shapes properties have, and compile time. Each benchmark
// evaluates one compiled expression against the same attributes; the result string is the only thing a
// warm evaluation may allocate (and not at all when it fits the small-string buffer).
#include <cstdlib>
#include <new>

#include <benchmark/benchmark.h>

#include "core/flowfile_record.hpp"
#include "sluice/expression.hpp"

// Counts heap allocations so that each benchmark reports how many one evaluation makes ("allocs").
namespace {
thread_local std::size_t allocations = 0;
}  // namespace

void* operator new(std::size_t size) {
  ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t /*size*/) noexcept {
  std::free(p);
}

namespace sluice {
namespace {

void report_allocations(benchmark::State& state, std::size_t before) {
  state.counters["allocs"] =
      benchmark::Counter(static_cast<double>(allocations - before), benchmark::Counter::kAvgIterations);
}

const MapVariables::Map& attributes() {
  static const MapVariables::Map kAttributes{{"filename", "meter-0042.csv"},
                                             {"status", "OK"},
                                             {"kwh", "142.5"},
                                             {"site", "north"},
                                             {"time", "1700000000000"},
                                             {"path", "/data/in/2023/11"}};
  return kAttributes;
}

void run(benchmark::State& state, const Expression& e, const VariableSource& variables) {
  const EvaluationEnvironment env{1'700'000'000'000};
  const std::size_t before = allocations;
  for (auto _ : state) {
    std::string result = e.evaluate(variables, env);
    benchmark::DoNotOptimize(result);
  }
  report_allocations(state, before);
  state.SetItemsProcessed(state.iterations());
}

void evaluate(benchmark::State& state, const char* text) {
  run(state, Expression::compile(text), MapVariables(attributes()));
}

void bm_literal(benchmark::State& state) {
  evaluate(state, "/data/out/archive");
}
void bm_attribute(benchmark::State& state) {
  evaluate(state, "${filename}");
}
void bm_function_chain(benchmark::State& state) {
  evaluate(state, "${filename:substringBefore('.'):toUpper()}");
}
void bm_text_with_expressions(benchmark::State& state) {
  evaluate(state, "${path}/${site}/${filename:substringBefore('.')}.done");
}
void bm_date_format(benchmark::State& state) {
  evaluate(state, "${time:format(\"yyyy-MM-dd'T'HH:mm:ss.SSSXXX\", 'Europe/Paris')}");
}
void bm_now_format_utc(benchmark::State& state) {
  evaluate(state, "${now():format('yyyy/MM/dd')}");
}
void bm_regex(benchmark::State& state) {
  evaluate(state, "${filename:replaceAll('[0-9]+', '#')}");
}
// PartitionRecord's bucket in bench/meter: a digest per record.
void bm_hash_bucket(benchmark::State& state) {
  evaluate(state, "${filename:hash('MD5'):substring(0, 1):fromRadix(16):mod(4)}");
}

// RouteOnAttribute's shape: a boolean that short-circuits.
void bm_boolean_routing(benchmark::State& state) {
  const Expression e = Expression::compile("${status:equals('ALARM'):or(${kwh:toNumber():gt(100)})}");
  const MapVariables variables(attributes());
  const EvaluationEnvironment env{1'700'000'000'000};
  const std::size_t before = allocations;
  for (auto _ : state) benchmark::DoNotOptimize(e.evaluate_bool(variables, env));
  report_allocations(state, before);
  state.SetItemsProcessed(state.iterations());
}

// A FlowFile's attributes as variables: stored values are read in place.
void bm_flow_file_attribute(benchmark::State& state) {
  internal::FlowFileRecord record;
  record.attributes.put("filename", "meter-0042.csv");
  record.attributes.put("status", "OK");
  const FlowFile flowfile(&record);
  run(state, Expression::compile("${filename:substringBefore('.'):toUpper()}"), FlowFileVariables(flowfile));
}

void compile(benchmark::State& state, const char* text) {
  for (auto _ : state) {
    Expression e = Expression::compile(text);
    benchmark::DoNotOptimize(e);
  }
  state.SetItemsProcessed(state.iterations());
}

void bm_compile(benchmark::State& state) {
  compile(state, "${status:equals('ALARM'):or(${kwh:toNumber():gt(100)})}");
}
void bm_compile_date_format(benchmark::State& state) {
  compile(state, "${time:format(\"yyyy-MM-dd'T'HH:mm:ss.SSSXXX\", 'Europe/Paris')}");
}

BENCHMARK(bm_literal);
BENCHMARK(bm_attribute);
BENCHMARK(bm_function_chain);
BENCHMARK(bm_text_with_expressions);
BENCHMARK(bm_boolean_routing);
BENCHMARK(bm_date_format);
BENCHMARK(bm_now_format_utc);
BENCHMARK(bm_regex);
BENCHMARK(bm_hash_bucket);
BENCHMARK(bm_flow_file_attribute);
BENCHMARK(bm_compile);
BENCHMARK(bm_compile_date_format);

}  // namespace
}  // namespace sluice

BENCHMARK_MAIN();
