// One HttpContextMap shared by two test-kit runners, as one service is shared by HandleHttpRequest and
// HandleHttpResponse in a flow: each runner creates its service from a definition, so the definition here
// creates a forwarder to the one real StandardHttpContextMap the test owns.
#pragma once

#include <memory>
#include <string>

#include "http_context_map.hpp"
#include "sluice/service.hpp"

namespace sluice::http::test {

class SharedContextMap {
 public:
  SharedContextMap() : owned_(http_context_map_definition().create()) {
    current_shared = this;
    map_ = dynamic_cast<HttpContextMap*>(owned_.get());
  }
  ~SharedContextMap() {
    owned_->on_disable();
    current_shared = nullptr;
  }
  SharedContextMap(const SharedContextMap&) = delete;
  SharedContextMap& operator=(const SharedContextMap&) = delete;

  // The definition to give each runner's add_service().
  static const ServiceDefinition& definition() {
    static const ServiceDefinition kDefinition{http_context_map_definition().spec, &create_forwarder};
    return kDefinition;
  }
  HttpContextMap& map() { return *map_; }

 private:
  class Forwarder final : public ControllerService, public HttpContextMap {
   public:
    explicit Forwarder(SharedContextMap& shared) : shared_(shared) {}
    // Each runner enables its forwarder with the same properties: configuring the real map twice is
    // harmless. Disabling is the owner's, once, at the end.
    void on_enable(ServiceContext& context) override { shared_.owned_->on_enable(context); }
    bool hold(std::string id, std::shared_ptr<Responder> responder, std::int64_t now_ms) override {
      return shared_.map_->hold(std::move(id), std::move(responder), now_ms);
    }
    std::shared_ptr<Responder> take(std::string_view id, std::int64_t now_ms) override {
      return shared_.map_->take(id, now_ms);
    }
    [[nodiscard]] bool holds(std::string_view id) const override { return shared_.map_->holds(id); }
    std::size_t expire(std::int64_t now_ms) override { return shared_.map_->expire(now_ms); }
    [[nodiscard]] std::size_t outstanding() const override { return shared_.map_->outstanding(); }

   private:
    SharedContextMap& shared_;
  };

  static std::unique_ptr<ControllerService> create_forwarder() {
    return std::make_unique<Forwarder>(*current_shared);
  }

  static inline SharedContextMap* current_shared = nullptr;
  std::unique_ptr<ControllerService> owned_;
  HttpContextMap* map_ = nullptr;
};

}  // namespace sluice::http::test
