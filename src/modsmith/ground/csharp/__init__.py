"""C# grounding: mcs compile checks against UnityEngine reference stubs or a Unity project's own
scripts and packages."""
