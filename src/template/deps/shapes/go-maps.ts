/**
 * Go's typed maps as templates see them. consul-template's `ServiceMeta`, `NodeMeta` and
 * `TaggedAddresses` are `map[string]string`: a missing key reads as "" (the zero value),
 * where an untyped map would print `<no value>`. A config file rendered with
 * `{{ .ServiceMeta.version }}` must get an empty string, not that marker.
 */

/** A `map[string]string`: real keys enumerate and print; any other string key reads "". */
export function stringMap(entries: Record<string, string> | null | undefined): Record<string, string> {
  const target = Object.assign(Object.create(null) as Record<string, string>, entries ?? {});
  return new Proxy(target, {
    get(t, k) {
      if (typeof k !== 'string') return undefined;
      return Object.hasOwn(t, k) ? t[k] : '';
    },
    getOwnPropertyDescriptor(t, k) {
      const own = Reflect.getOwnPropertyDescriptor(t, k);
      if (own || typeof k !== 'string') return own;
      // Reported as present but not enumerable: lookups succeed, listings stay the real keys.
      return { value: '', writable: true, enumerable: false, configurable: true };
    },
  });
}

/** A Go map with struct values (`map[string]api.ServiceAddress`): a null-prototype object. */
export function goMap<V>(entries: Record<string, V> | null | undefined): Record<string, V> {
  return Object.assign(Object.create(null) as Record<string, V>, entries ?? {});
}
