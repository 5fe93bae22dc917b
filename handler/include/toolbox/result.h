// Errors as values: an errno plus a message, with context prepended by each
// layer ("probing '/usr/bin/toolbox': ..."), printed once at the edge.
// Shared by the handler and the toolbox core; no exceptions, no iostreams.
#pragma once

#include <cerrno>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace tbx {

struct Error {
  int code = 0;         // errno value (positive), 0 when no errno applies
  std::string message;  // human-readable, without a trailing newline
};

inline Error make_error(int code, std::string message) { return Error{code, std::move(message)}; }

// Prepends "context: " to the message, keeping the errno (nothing for "").
inline Error with_context(Error e, std::string_view context) {
  if (context.empty()) return e;
  std::string m;
  m.reserve(context.size() + 2 + e.message.size());
  m.append(context).append(": ").append(e.message);
  e.message = std::move(m);
  return e;
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { return error_; }
  Error&& error() && { return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace tbx

// Propagates an error, adding context. Usage: TBX_TRY(auto x, f(), "doing f");
#define TBX_CONCAT_INNER(a, b) a##b
#define TBX_CONCAT(a, b) TBX_CONCAT_INNER(a, b)
#define TBX_TRY(decl, expr, context)                                         \
  auto TBX_CONCAT(tbx_r_, __LINE__) = (expr);                                \
  if (!TBX_CONCAT(tbx_r_, __LINE__))                                         \
    return ::tbx::with_context(std::move(TBX_CONCAT(tbx_r_, __LINE__)).error(), (context)); \
  decl = std::move(TBX_CONCAT(tbx_r_, __LINE__)).value()
