#include <algorithm>
#include <deque>
#include <map>
#include <optional>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/strong_components.hpp>
#include <fmt/format.h>

#include "config/names.hpp"
#include "config/validator_checks.hpp"

namespace sluice::internal {

namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
using Vertex = Graph::vertex_descriptor;

class TopologyChecker {
 public:
  TopologyChecker(const FlowModel& flow, const ProcessorRegistry& registry, std::vector<Diagnostic>& out)
      : flow_(flow), out_(out), count_(flow.processors.size()), graph_(count_ + 1) {
    std::map<std::string, Vertex, std::less<>> index;
    for (Vertex v = 0; v < count_; ++v) index.emplace(flow.processors[v].id.value, v);
    for (const auto& c : flow.connections) {
      auto from = index.find(c.from.value);
      auto to = index.find(c.to.value);
      if (from == index.end() || to == index.end()) continue;
      // An edge into a processor that takes no input is already an error and would never carry data;
      // keeping it would make a source look fed and report the whole flow as unreachable.
      const ProcessorSpec* target = spec_of(flow.processors[to->second], registry);
      if (target != nullptr && target->input == InputRequirement::kForbidden) continue;
      boost::add_edge(from->second, to->second, graph_);
    }
  }

  void run() {
    check_reachable();
    check_cycles();
  }

 private:
  // Breadth-first from a virtual vertex that feeds every source (a processor without incoming connections),
  // so one search covers all sources.
  void check_reachable() {
    const Vertex root = count_;
    std::vector<bool> has_incoming(count_, false);
    for (auto [e, end] = boost::edges(graph_); e != end; ++e) has_incoming[boost::target(*e, graph_)] = true;
    for (Vertex v = 0; v < count_; ++v) {
      if (!has_incoming[v]) boost::add_edge(root, v, graph_);
    }
    std::vector<boost::default_color_type> colors(boost::num_vertices(graph_));
    boost::breadth_first_search(graph_, root,
                                boost::color_map(boost::make_iterator_property_map(
                                    colors.begin(), boost::get(boost::vertex_index, graph_))));
    for (Vertex v = 0; v < count_; ++v) {
      if (colors[v] != boost::white_color) continue;
      const auto& p = flow_.processors[v];
      out_.push_back(
          {p.id.pos, fmt::format("processor '{}' is unreachable: it is fed only from a cycle that no "
                                 "source leads into (a source is a processor without incoming "
                                 "connections)",
                                 p.id.value)});
    }
    boost::clear_vertex(root, graph_);
  }

  void check_cycles() {
    std::vector<std::size_t> component(boost::num_vertices(graph_));
    boost::strong_components(graph_, boost::make_iterator_property_map(
                                         component.begin(), boost::get(boost::vertex_index, graph_)));
    std::map<std::size_t, std::vector<Vertex>> members;  // vertices in file order
    for (Vertex v = 0; v < count_; ++v) members[component[v]].push_back(v);
    for (const auto& [id, vertices] : members) {
      if (vertices.size() == 1 && !boost::edge(vertices[0], vertices[0], graph_).second)
        continue;  // no cycle
      if (has_way_out(vertices, component)) continue;
      report(vertices, component);
    }
  }

  bool has_way_out(const std::vector<Vertex>& vertices, const std::vector<std::size_t>& component) const {
    for (Vertex v : vertices) {
      if (!flow_.processors[v].terminate.empty()) return true;
      for (auto [e, end] = boost::out_edges(v, graph_); e != end; ++e) {
        if (component[boost::target(*e, graph_)] != component[v]) return true;
      }
    }
    return false;
  }

  // Names the shortest cycle through the component's first processor, so the message reads like the flow.
  void report(const std::vector<Vertex>& vertices, const std::vector<std::size_t>& component) {
    const Vertex start = vertices.front();
    std::vector<std::optional<Vertex>> parent(count_);
    std::deque<Vertex> queue{start};
    std::optional<Vertex> last;  // the vertex whose edge closes the cycle back to `start`
    while (!queue.empty() && !last) {
      const Vertex v = queue.front();
      queue.pop_front();
      for (auto [e, end] = boost::out_edges(v, graph_); e != end; ++e) {
        const Vertex w = boost::target(*e, graph_);
        if (w == start) {
          last = v;
          break;
        }
        if (component[w] != component[start] || parent[w]) continue;
        parent[w] = v;
        queue.push_back(w);
      }
    }
    std::vector<std::string> path{flow_.processors[start].id.value};
    for (std::optional<Vertex> v = last; v && *v != start; v = parent[*v]) {
      path.insert(path.begin() + 1, flow_.processors[*v].id.value);
    }
    path.push_back(flow_.processors[start].id.value);
    std::vector<std::string> others;
    for (Vertex v : vertices) {
      const auto& id = flow_.processors[v].id.value;
      if (std::find(path.begin(), path.end(), id) == path.end()) others.push_back(id);
    }
    const std::string also = others.empty() ? "" : fmt::format(" (in a loop with {})", join(others));
    out_.push_back(
        {flow_.processors[start].id.pos,
         fmt::format("cycle {}{} has no way out (connect a relationship that leaves it or terminate one)",
                     join(path, " -> "), also)});
  }

  const FlowModel& flow_;
  std::vector<Diagnostic>& out_;
  std::size_t count_;
  Graph graph_;
};

}  // namespace

void check_topology(const FlowModel& flow, const ProcessorRegistry& registry, std::vector<Diagnostic>& out) {
  TopologyChecker(flow, registry, out).run();
}

}  // namespace sluice::internal
