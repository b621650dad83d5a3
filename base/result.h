// Result<T>: either a value of type T or an Error; Status is Result<void>.
//
// The vocabulary follows std::expected (has_value, value, error, operator bool,
// operator*, operator->) so that a later switch to std::expected is one alias.
// Accessing the value of an error Result (or the error of a value) is a bug and asserts.
//
// Thread-safety: a Result is a value; distinct objects may be used from any thread.
#ifndef INTAKE_BASE_RESULT_H_
#define INTAKE_BASE_RESULT_H_

#include <cassert>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "base/error.h"

namespace intake {

template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::decay_t<T>, Error>, "Result<Error> makes no sense");

 public:
  Result(const T& value) : v_(std::in_place_index<0>, value) {}  // NOLINT: implicit by design
  Result(T&& value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  // Converts from a Result of a type convertible to T (e.g. unique_ptr<Derived>).
  template <typename U,
            typename = std::enable_if_t<!std::is_same_v<U, T> && std::is_convertible_v<U, T>>>
  Result(Result<U>&& other)  // NOLINT
      : v_(other.has_value() ? Variant(std::in_place_index<0>, T(std::move(*other)))
                             : Variant(std::in_place_index<1>, other.error())) {}

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    assert(has_value());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(has_value());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(has_value());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const {
    assert(!has_value());
    return std::get<1>(v_);
  }

  template <typename U>
  T value_or(U&& fallback) const& {
    return has_value() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  using Variant = std::variant<T, Error>;
  Variant v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT: implicit by design

  bool has_value() const { return !error_.has_value(); }
  explicit operator bool() const { return has_value(); }
  void value() const { assert(has_value()); }
  const Error& error() const {
    assert(!has_value());
    return *error_;
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

// The successful Status.
inline Status OkStatus() { return Status(); }

}  // namespace intake

#define INTAKE_CONCAT_INNER_(a, b) a##b
#define INTAKE_CONCAT_(a, b) INTAKE_CONCAT_INNER_(a, b)

// Returns the error of `expr` (a Status or Result) from the enclosing function.
#define INTAKE_RETURN_IF_ERROR(expr)                            \
  do {                                                          \
    auto&& intake_status_ = (expr);                             \
    if (!intake_status_.has_value()) return intake_status_.error(); \
  } while (false)

// Declares `lhs` from the value of the Result `expr`, or returns its error.
#define INTAKE_ASSIGN_OR_RETURN(lhs, expr) \
  INTAKE_ASSIGN_OR_RETURN_IMPL_(INTAKE_CONCAT_(intake_result_, __LINE__), lhs, expr)
#define INTAKE_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.has_value()) return tmp.error();           \
  lhs = std::move(tmp).value()

#endif  // INTAKE_BASE_RESULT_H_
