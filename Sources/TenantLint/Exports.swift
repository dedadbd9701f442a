@_exported import PolicyEngine
