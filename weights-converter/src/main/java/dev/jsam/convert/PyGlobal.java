package dev.jsam.convert;

/**
 * A global (module + name) that the restricted unpickler has checked against its allow-list.
 * It is only a name: nothing is looked up, loaded or executed through it.
 */
record PyGlobal(String module, String name) {
    @Override
    public String toString() {
        return module + "." + name;
    }
}
