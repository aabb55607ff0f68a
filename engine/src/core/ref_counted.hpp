// A minimal intrusive reference count: one allocation per shared object and a pointer-sized handle,
// instead of shared_ptr's control block. Used for attribute sets and content resources.
#pragma once

#include <atomic>
#include <cstdint>
#include <utility>

namespace sluice::internal {

template <typename T>
class Ref {
 public:
  Ref() = default;
  explicit Ref(T* p) : p_(p) {
    if (p_ != nullptr) p_->ref_count_.fetch_add(1, std::memory_order_relaxed);
  }
  Ref(const Ref& o) : Ref(o.p_) {}
  Ref(Ref&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  Ref& operator=(Ref o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }
  ~Ref() { reset(); }

  void reset() {
    if (p_ != nullptr && p_->ref_count_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete p_;
    p_ = nullptr;
  }
  T* get() const { return p_; }
  T* operator->() const { return p_; }
  T& operator*() const { return *p_; }
  explicit operator bool() const { return p_ != nullptr; }
  [[nodiscard]] bool unique() const {
    return p_ != nullptr && p_->ref_count_.load(std::memory_order_acquire) == 1;
  }
  bool operator==(const Ref& o) const { return p_ == o.p_; }

 private:
  T* p_ = nullptr;
};

// Base for types held by Ref<T>.
class RefCounted {
 public:
  RefCounted() = default;
  RefCounted(const RefCounted&) : ref_count_(0) {}
  RefCounted& operator=(const RefCounted&) { return *this; }

 private:
  template <typename T>
  friend class Ref;
  mutable std::atomic<std::uint32_t> ref_count_{0};
};

template <typename T, typename... Args>
Ref<T> make_ref(Args&&... args) {
  return Ref<T>(new T(std::forward<Args>(args)...));
}

}  // namespace sluice::internal
