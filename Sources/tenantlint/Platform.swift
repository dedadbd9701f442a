// The C library, for every file of this module (an `@_exported import` here
// makes it visible to the module's other files, which import nothing from
// libc themselves). The only place that names the platform: glibc (Linux),
// Musl (static Linux builds) or Darwin (macOS).
#if canImport(Glibc)
@_exported import Glibc
#elseif canImport(Musl)
@_exported import Musl
#elseif canImport(Darwin)
@_exported import Darwin
#else
#error("tenantlint needs a C library: Glibc, Musl or Darwin")
#endif
