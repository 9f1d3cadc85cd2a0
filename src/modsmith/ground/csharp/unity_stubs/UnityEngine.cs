// Reference-only stand-in for the public UnityEngine scripting API, written for modsmith's C# compile
// check. Only the signatures matter: every body throws or returns a default. It is compiled to a
// reference assembly and never executed. Core object model, coroutines, attributes and small services.

using System;
using System.Collections;
using System.Collections.Generic;

namespace UnityEngine
{
    public enum HideFlags { None = 0, HideInHierarchy = 1, HideInInspector = 2, DontSaveInEditor = 4, NotEditable = 8, DontSave = 52, HideAndDontSave = 61 }
    public enum SendMessageOptions { RequireReceiver = 0, DontRequireReceiver = 1 }
    public enum Space { World = 0, Self = 1 }
    public enum PrimitiveType { Sphere = 0, Capsule = 1, Cylinder = 2, Cube = 3, Plane = 4, Quad = 5 }
    public enum FindObjectsSortMode { None = 0, InstanceID = 1 }
    public enum FindObjectsInactive { Exclude = 0, Include = 1 }

    public class Object
    {
        public string name { get; set; }
        public HideFlags hideFlags { get; set; }
        public int GetInstanceID() { throw null; }
        public override string ToString() { throw null; }
        public override bool Equals(object other) { throw null; }
        public override int GetHashCode() { throw null; }

        public static implicit operator bool(Object exists) { throw null; }
        public static bool operator ==(Object x, Object y) { throw null; }
        public static bool operator !=(Object x, Object y) { throw null; }

        public static Object Instantiate(Object original) { throw null; }
        public static Object Instantiate(Object original, Transform parent) { throw null; }
        public static Object Instantiate(Object original, Transform parent, bool instantiateInWorldSpace) { throw null; }
        public static Object Instantiate(Object original, Vector3 position, Quaternion rotation) { throw null; }
        public static Object Instantiate(Object original, Vector3 position, Quaternion rotation, Transform parent) { throw null; }
        public static T Instantiate<T>(T original) where T : Object { throw null; }
        public static T Instantiate<T>(T original, Transform parent) where T : Object { throw null; }
        public static T Instantiate<T>(T original, Transform parent, bool worldPositionStays) where T : Object { throw null; }
        public static T Instantiate<T>(T original, Vector3 position, Quaternion rotation) where T : Object { throw null; }
        public static T Instantiate<T>(T original, Vector3 position, Quaternion rotation, Transform parent) where T : Object { throw null; }

        public static void Destroy(Object obj) { }
        public static void Destroy(Object obj, float t) { }
        public static void DestroyImmediate(Object obj) { }
        public static void DestroyImmediate(Object obj, bool allowDestroyingAssets) { }
        public static void DontDestroyOnLoad(Object target) { }

        public static T FindObjectOfType<T>() where T : Object { throw null; }
        public static T FindObjectOfType<T>(bool includeInactive) where T : Object { throw null; }
        public static Object FindObjectOfType(Type type) { throw null; }
        public static T[] FindObjectsOfType<T>() where T : Object { throw null; }
        public static T[] FindObjectsOfType<T>(bool includeInactive) where T : Object { throw null; }
        public static Object[] FindObjectsOfType(Type type) { throw null; }
        public static T FindFirstObjectByType<T>() where T : Object { throw null; }
        public static T FindFirstObjectByType<T>(FindObjectsInactive findObjectsInactive) where T : Object { throw null; }
        public static T FindAnyObjectByType<T>() where T : Object { throw null; }
        public static T FindAnyObjectByType<T>(FindObjectsInactive findObjectsInactive) where T : Object { throw null; }
        public static T[] FindObjectsByType<T>(FindObjectsSortMode sortMode) where T : Object { throw null; }
        public static T[] FindObjectsByType<T>(FindObjectsInactive findObjectsInactive, FindObjectsSortMode sortMode) where T : Object { throw null; }
    }

    public class Component : Object
    {
        public GameObject gameObject { get { throw null; } }
        public Transform transform { get { throw null; } }
        public string tag { get; set; }

        public Component GetComponent(Type type) { throw null; }
        public Component GetComponent(string type) { throw null; }
        public T GetComponent<T>() { throw null; }
        public bool TryGetComponent<T>(out T component) { throw null; }
        public bool TryGetComponent(Type type, out Component component) { throw null; }
        public T GetComponentInChildren<T>() { throw null; }
        public T GetComponentInChildren<T>(bool includeInactive) { throw null; }
        public Component GetComponentInChildren(Type t) { throw null; }
        public Component GetComponentInChildren(Type t, bool includeInactive) { throw null; }
        public T GetComponentInParent<T>() { throw null; }
        public T GetComponentInParent<T>(bool includeInactive) { throw null; }
        public Component GetComponentInParent(Type t) { throw null; }
        public T[] GetComponents<T>() { throw null; }
        public void GetComponents<T>(List<T> results) { }
        public Component[] GetComponents(Type type) { throw null; }
        public T[] GetComponentsInChildren<T>() { throw null; }
        public T[] GetComponentsInChildren<T>(bool includeInactive) { throw null; }
        public void GetComponentsInChildren<T>(List<T> results) { }
        public T[] GetComponentsInParent<T>() { throw null; }
        public T[] GetComponentsInParent<T>(bool includeInactive) { throw null; }
        public bool CompareTag(string tag) { throw null; }

        public void SendMessage(string methodName) { }
        public void SendMessage(string methodName, object value) { }
        public void SendMessage(string methodName, object value, SendMessageOptions options) { }
        public void SendMessage(string methodName, SendMessageOptions options) { }
        public void SendMessageUpwards(string methodName) { }
        public void SendMessageUpwards(string methodName, object value) { }
        public void SendMessageUpwards(string methodName, object value, SendMessageOptions options) { }
        public void BroadcastMessage(string methodName) { }
        public void BroadcastMessage(string methodName, object parameter) { }
        public void BroadcastMessage(string methodName, object parameter, SendMessageOptions options) { }
    }

    public class Behaviour : Component
    {
        public bool enabled { get; set; }
        public bool isActiveAndEnabled { get { throw null; } }
    }

    public class MonoBehaviour : Behaviour
    {
        public bool useGUILayout { get; set; }
        public bool runInEditMode { get; set; }
        public Coroutine StartCoroutine(IEnumerator routine) { throw null; }
        public Coroutine StartCoroutine(string methodName) { throw null; }
        public Coroutine StartCoroutine(string methodName, object value) { throw null; }
        public void StopCoroutine(IEnumerator routine) { }
        public void StopCoroutine(Coroutine routine) { }
        public void StopCoroutine(string methodName) { }
        public void StopAllCoroutines() { }
        public void Invoke(string methodName, float time) { }
        public void InvokeRepeating(string methodName, float time, float repeatRate) { }
        public void CancelInvoke() { }
        public void CancelInvoke(string methodName) { }
        public bool IsInvoking() { throw null; }
        public bool IsInvoking(string methodName) { throw null; }
        public static void print(object message) { }
    }

    public sealed class GameObject : Object
    {
        public GameObject() { }
        public GameObject(string name) { }
        public GameObject(string name, params Type[] components) { }

        public Transform transform { get { throw null; } }
        public GameObject gameObject { get { throw null; } }
        public int layer { get; set; }
        public string tag { get; set; }
        public bool activeSelf { get { throw null; } }
        public bool activeInHierarchy { get { throw null; } }
        public bool isStatic { get; set; }
        public SceneManagement.Scene scene { get { throw null; } }

        public void SetActive(bool value) { }
        public T AddComponent<T>() where T : Component { throw null; }
        public Component AddComponent(Type componentType) { throw null; }
        public T GetComponent<T>() { throw null; }
        public Component GetComponent(Type type) { throw null; }
        public Component GetComponent(string type) { throw null; }
        public bool TryGetComponent<T>(out T component) { throw null; }
        public bool TryGetComponent(Type type, out Component component) { throw null; }
        public T GetComponentInChildren<T>() { throw null; }
        public T GetComponentInChildren<T>(bool includeInactive) { throw null; }
        public Component GetComponentInChildren(Type type) { throw null; }
        public T GetComponentInParent<T>() { throw null; }
        public T GetComponentInParent<T>(bool includeInactive) { throw null; }
        public Component GetComponentInParent(Type type) { throw null; }
        public T[] GetComponents<T>() { throw null; }
        public void GetComponents<T>(List<T> results) { }
        public Component[] GetComponents(Type type) { throw null; }
        public T[] GetComponentsInChildren<T>() { throw null; }
        public T[] GetComponentsInChildren<T>(bool includeInactive) { throw null; }
        public T[] GetComponentsInParent<T>() { throw null; }
        public T[] GetComponentsInParent<T>(bool includeInactive) { throw null; }
        public bool CompareTag(string tag) { throw null; }
        public void SendMessage(string methodName) { }
        public void SendMessage(string methodName, object value) { }
        public void SendMessage(string methodName, object value, SendMessageOptions options) { }
        public void BroadcastMessage(string methodName) { }
        public void BroadcastMessage(string methodName, object parameter) { }
        public void BroadcastMessage(string methodName, object parameter, SendMessageOptions options) { }

        public static GameObject Find(string name) { throw null; }
        public static GameObject FindWithTag(string tag) { throw null; }
        public static GameObject FindGameObjectWithTag(string tag) { throw null; }
        public static GameObject[] FindGameObjectsWithTag(string tag) { throw null; }
        public static GameObject CreatePrimitive(PrimitiveType type) { throw null; }
    }

    public class Transform : Component, IEnumerable
    {
        protected Transform() { }
        public Vector3 position { get; set; }
        public Vector3 localPosition { get; set; }
        public Vector3 eulerAngles { get; set; }
        public Vector3 localEulerAngles { get; set; }
        public Quaternion rotation { get; set; }
        public Quaternion localRotation { get; set; }
        public Vector3 localScale { get; set; }
        public Vector3 lossyScale { get { throw null; } }
        public Vector3 right { get; set; }
        public Vector3 up { get; set; }
        public Vector3 forward { get; set; }
        public Transform parent { get; set; }
        public Transform root { get { throw null; } }
        public int childCount { get { throw null; } }
        public bool hasChanged { get; set; }
        public Matrix4x4 localToWorldMatrix { get { throw null; } }
        public Matrix4x4 worldToLocalMatrix { get { throw null; } }

        public void SetParent(Transform parent) { }
        public void SetParent(Transform parent, bool worldPositionStays) { }
        public void SetPositionAndRotation(Vector3 position, Quaternion rotation) { }
        public void SetLocalPositionAndRotation(Vector3 localPosition, Quaternion localRotation) { }
        public void Translate(Vector3 translation) { }
        public void Translate(Vector3 translation, Space relativeTo) { }
        public void Translate(Vector3 translation, Transform relativeTo) { }
        public void Translate(float x, float y, float z) { }
        public void Translate(float x, float y, float z, Space relativeTo) { }
        public void Translate(float x, float y, float z, Transform relativeTo) { }
        public void Rotate(Vector3 eulers) { }
        public void Rotate(Vector3 eulers, Space relativeTo) { }
        public void Rotate(float xAngle, float yAngle, float zAngle) { }
        public void Rotate(float xAngle, float yAngle, float zAngle, Space relativeTo) { }
        public void Rotate(Vector3 axis, float angle) { }
        public void Rotate(Vector3 axis, float angle, Space relativeTo) { }
        public void RotateAround(Vector3 point, Vector3 axis, float angle) { }
        public void LookAt(Transform target) { }
        public void LookAt(Transform target, Vector3 worldUp) { }
        public void LookAt(Vector3 worldPosition) { }
        public void LookAt(Vector3 worldPosition, Vector3 worldUp) { }
        public Vector3 TransformPoint(Vector3 position) { throw null; }
        public Vector3 TransformPoint(float x, float y, float z) { throw null; }
        public Vector3 InverseTransformPoint(Vector3 position) { throw null; }
        public Vector3 InverseTransformPoint(float x, float y, float z) { throw null; }
        public Vector3 TransformDirection(Vector3 direction) { throw null; }
        public Vector3 TransformDirection(float x, float y, float z) { throw null; }
        public Vector3 InverseTransformDirection(Vector3 direction) { throw null; }
        public Vector3 InverseTransformDirection(float x, float y, float z) { throw null; }
        public Vector3 TransformVector(Vector3 vector) { throw null; }
        public Vector3 InverseTransformVector(Vector3 vector) { throw null; }
        public Transform GetChild(int index) { throw null; }
        public Transform Find(string n) { throw null; }
        [Obsolete("Use Transform.Find")] public Transform FindChild(string n) { throw null; }
        public void DetachChildren() { }
        public int GetSiblingIndex() { throw null; }
        public void SetSiblingIndex(int index) { }
        public void SetAsFirstSibling() { }
        public void SetAsLastSibling() { }
        public bool IsChildOf(Transform parent) { throw null; }
        public IEnumerator GetEnumerator() { throw null; }
    }

    public class ScriptableObject : Object
    {
        public static T CreateInstance<T>() where T : ScriptableObject { throw null; }
        public static ScriptableObject CreateInstance(Type type) { throw null; }
        public static ScriptableObject CreateInstance(string className) { throw null; }
    }

    // Coroutines and what a coroutine may yield.
    public class YieldInstruction { }
    public sealed class Coroutine : YieldInstruction { private Coroutine() { } }
    public sealed class WaitForSeconds : YieldInstruction { public WaitForSeconds(float seconds) { } }
    public sealed class WaitForFixedUpdate : YieldInstruction { }
    public sealed class WaitForEndOfFrame : YieldInstruction { }

    public abstract class CustomYieldInstruction : IEnumerator
    {
        public abstract bool keepWaiting { get; }
        public object Current { get { throw null; } }
        public bool MoveNext() { throw null; }
        public virtual void Reset() { }
    }

    public class WaitForSecondsRealtime : CustomYieldInstruction
    {
        public WaitForSecondsRealtime(float time) { }
        public float waitTime { get; set; }
        public override bool keepWaiting { get { throw null; } }
    }

    public sealed class WaitUntil : CustomYieldInstruction
    {
        public WaitUntil(Func<bool> predicate) { }
        public override bool keepWaiting { get { throw null; } }
    }

    public sealed class WaitWhile : CustomYieldInstruction
    {
        public WaitWhile(Func<bool> predicate) { }
        public override bool keepWaiting { get { throw null; } }
    }

    public class AsyncOperation : YieldInstruction
    {
        public bool isDone { get { throw null; } }
        public float progress { get { throw null; } }
        public int priority { get; set; }
        public bool allowSceneActivation { get; set; }
        public event Action<AsyncOperation> completed;
    }

    // Inspector and component attributes.
    [AttributeUsage(AttributeTargets.Field, Inherited = true, AllowMultiple = false)]
    public abstract class PropertyAttribute : Attribute
    {
        public int order { get; set; }
    }

    [AttributeUsage(AttributeTargets.Field)]
    public sealed class SerializeField : Attribute { }

    [AttributeUsage(AttributeTargets.Field)]
    public sealed class SerializeReference : Attribute { }

    [AttributeUsage(AttributeTargets.Field)]
    public sealed class HideInInspector : Attribute { }

    [AttributeUsage(AttributeTargets.Field, Inherited = true, AllowMultiple = true)]
    public class HeaderAttribute : PropertyAttribute
    {
        public readonly string header;
        public HeaderAttribute(string header) { this.header = header; }
    }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Class | AttributeTargets.Struct, Inherited = true, AllowMultiple = false)]
    public class TooltipAttribute : PropertyAttribute
    {
        public readonly string tooltip;
        public TooltipAttribute(string tooltip) { this.tooltip = tooltip; }
    }

    [AttributeUsage(AttributeTargets.Field, Inherited = true, AllowMultiple = false)]
    public sealed class RangeAttribute : PropertyAttribute
    {
        public readonly float min;
        public readonly float max;
        public RangeAttribute(float min, float max) { this.min = min; this.max = max; }
    }

    [AttributeUsage(AttributeTargets.Field, Inherited = true, AllowMultiple = false)]
    public sealed class MinAttribute : PropertyAttribute
    {
        public readonly float min;
        public MinAttribute(float min) { this.min = min; }
    }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Class | AttributeTargets.Struct, Inherited = true, AllowMultiple = true)]
    public class SpaceAttribute : PropertyAttribute
    {
        public readonly float height;
        public SpaceAttribute() { }
        public SpaceAttribute(float height) { this.height = height; }
    }

    [AttributeUsage(AttributeTargets.Field, Inherited = true, AllowMultiple = false)]
    public sealed class TextAreaAttribute : PropertyAttribute
    {
        public readonly int minLines;
        public readonly int maxLines;
        public TextAreaAttribute() { }
        public TextAreaAttribute(int minLines, int maxLines) { this.minLines = minLines; this.maxLines = maxLines; }
    }

    [AttributeUsage(AttributeTargets.Field, Inherited = true, AllowMultiple = false)]
    public sealed class MultilineAttribute : PropertyAttribute
    {
        public readonly int lines;
        public MultilineAttribute() { }
        public MultilineAttribute(int lines) { this.lines = lines; }
    }

    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
    public sealed class RequireComponent : Attribute
    {
        public Type m_Type0;
        public Type m_Type1;
        public Type m_Type2;
        public RequireComponent(Type requiredComponent) { }
        public RequireComponent(Type requiredComponent, Type requiredComponent2) { }
        public RequireComponent(Type requiredComponent, Type requiredComponent2, Type requiredComponent3) { }
    }

    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
    public sealed class DisallowMultipleComponent : Attribute { }

    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
    public sealed class CreateAssetMenuAttribute : Attribute
    {
        public string menuName { get; set; }
        public string fileName { get; set; }
        public int order { get; set; }
    }

    public sealed class ExecuteInEditMode : Attribute { }
    public sealed class ExecuteAlways : Attribute { }
    public sealed class SelectionBaseAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
    public sealed class AddComponentMenu : Attribute
    {
        public AddComponentMenu(string menuName) { }
        public AddComponentMenu(string menuName, int order) { }
        public string componentMenu { get { throw null; } }
        public int componentOrder { get { throw null; } }
    }

    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
    public sealed class ContextMenu : Attribute
    {
        public ContextMenu(string itemName) { }
        public ContextMenu(string itemName, bool isValidateFunction) { }
    }

    [AttributeUsage(AttributeTargets.Class)]
    public sealed class DefaultExecutionOrder : Attribute
    {
        public DefaultExecutionOrder(int order) { }
        public int order { get { throw null; } }
    }

    [AttributeUsage(AttributeTargets.Class)]
    public sealed class HelpURLAttribute : Attribute
    {
        public HelpURLAttribute(string url) { }
    }

    public enum RuntimeInitializeLoadType { AfterSceneLoad = 0, BeforeSceneLoad = 1, AfterAssembliesLoaded = 2, BeforeSplashScreen = 3, SubsystemRegistration = 4 }

    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class RuntimeInitializeOnLoadMethodAttribute : Attribute
    {
        public RuntimeInitializeOnLoadMethodAttribute() { }
        public RuntimeInitializeOnLoadMethodAttribute(RuntimeInitializeLoadType loadType) { }
        public RuntimeInitializeLoadType loadType { get; set; }
    }

    // Logging.
    public static class Debug
    {
        public static bool isDebugBuild { get { throw null; } }
        public static void Log(object message) { }
        public static void Log(object message, Object context) { }
        public static void LogWarning(object message) { }
        public static void LogWarning(object message, Object context) { }
        public static void LogError(object message) { }
        public static void LogError(object message, Object context) { }
        public static void LogException(Exception exception) { }
        public static void LogException(Exception exception, Object context) { }
        public static void LogFormat(string format, params object[] args) { }
        public static void LogFormat(Object context, string format, params object[] args) { }
        public static void LogWarningFormat(string format, params object[] args) { }
        public static void LogWarningFormat(Object context, string format, params object[] args) { }
        public static void LogErrorFormat(string format, params object[] args) { }
        public static void LogErrorFormat(Object context, string format, params object[] args) { }
        public static void DrawLine(Vector3 start, Vector3 end) { }
        public static void DrawLine(Vector3 start, Vector3 end, Color color) { }
        public static void DrawLine(Vector3 start, Vector3 end, Color color, float duration) { }
        public static void DrawLine(Vector3 start, Vector3 end, Color color, float duration, bool depthTest) { }
        public static void DrawRay(Vector3 start, Vector3 dir) { }
        public static void DrawRay(Vector3 start, Vector3 dir, Color color) { }
        public static void DrawRay(Vector3 start, Vector3 dir, Color color, float duration) { }
        public static void DrawRay(Vector3 start, Vector3 dir, Color color, float duration, bool depthTest) { }
        public static void Assert(bool condition) { }
        public static void Assert(bool condition, object message) { }
        public static void Assert(bool condition, string message) { }
        public static void Assert(bool condition, object message, Object context) { }
        public static void Assert(bool condition, Object context) { }
        public static void AssertFormat(bool condition, string format, params object[] args) { }
        public static void Break() { }
    }

    // Application-wide services.
    public enum RuntimePlatform
    {
        OSXEditor = 0, OSXPlayer = 1, WindowsPlayer = 2, WindowsEditor = 7, IPhonePlayer = 8, Android = 11,
        LinuxPlayer = 13, LinuxEditor = 16, WebGLPlayer = 17, PS4 = 25, XboxOne = 27, Switch = 32,
    }

    public static class Application
    {
        public static void Quit() { }
        public static void Quit(int exitCode) { }
        public static void OpenURL(string url) { }
        public static int targetFrameRate { get; set; }
        public static bool runInBackground { get; set; }
        public static bool isPlaying { get { throw null; } }
        public static bool isEditor { get { throw null; } }
        public static bool isFocused { get { throw null; } }
        public static bool isMobilePlatform { get { throw null; } }
        public static RuntimePlatform platform { get { throw null; } }
        public static string dataPath { get { throw null; } }
        public static string persistentDataPath { get { throw null; } }
        public static string streamingAssetsPath { get { throw null; } }
        public static string temporaryCachePath { get { throw null; } }
        public static string version { get { throw null; } }
        public static string productName { get { throw null; } }
        public static string companyName { get { throw null; } }
        public static string unityVersion { get { throw null; } }
        public static SystemLanguage systemLanguage { get { throw null; } }
        public static NetworkReachability internetReachability { get { throw null; } }
        public static event Action quitting { add { } remove { } }
        public static event Action<bool> focusChanged { add { } remove { } }

        // Scene loading as it was before SceneManager (Unity 5.3); still compiled, marked obsolete.
        [Obsolete("Use SceneManager.LoadScene")] public static void LoadLevel(int index) { }
        [Obsolete("Use SceneManager.LoadScene")] public static void LoadLevel(string name) { }
        [Obsolete("Use SceneManager.LoadScene")] public static void LoadLevelAdditive(int index) { }
        [Obsolete("Use SceneManager.LoadScene")] public static void LoadLevelAdditive(string name) { }
        [Obsolete("Use SceneManager.LoadSceneAsync")] public static AsyncOperation LoadLevelAsync(int index) { throw null; }
        [Obsolete("Use SceneManager.LoadSceneAsync")] public static AsyncOperation LoadLevelAsync(string levelName) { throw null; }
        [Obsolete("Use SceneManager.GetActiveScene().buildIndex")] public static int loadedLevel { get { throw null; } }
        [Obsolete("Use SceneManager.GetActiveScene().name")] public static string loadedLevelName { get { throw null; } }
        [Obsolete("Use SceneManager.sceneCountInBuildSettings")] public static int levelCount { get { throw null; } }
    }

    public enum NetworkReachability { NotReachable = 0, ReachableViaCarrierDataNetwork = 1, ReachableViaLocalAreaNetwork = 2 }
    public enum SystemLanguage { English = 10, French = 14, German = 15, Japanese = 22, Spanish = 34, Unknown = 42 }

    public static class Time
    {
        public static float time { get { throw null; } }
        public static double timeAsDouble { get { throw null; } }
        public static float deltaTime { get { throw null; } }
        public static float fixedDeltaTime { get; set; }
        public static float fixedTime { get { throw null; } }
        public static float unscaledDeltaTime { get { throw null; } }
        public static float unscaledTime { get { throw null; } }
        public static float smoothDeltaTime { get { throw null; } }
        public static float timeScale { get; set; }
        public static float maximumDeltaTime { get; set; }
        public static int frameCount { get { throw null; } }
        public static float realtimeSinceStartup { get { throw null; } }
        public static float timeSinceLevelLoad { get { throw null; } }
    }

    public sealed class Resolution
    {
        public int width { get; set; }
        public int height { get; set; }
    }

    public static class Screen
    {
        public static int width { get { throw null; } }
        public static int height { get { throw null; } }
        public static float dpi { get { throw null; } }
        public static bool fullScreen { get; set; }
        public static Resolution currentResolution { get { throw null; } }
        public static Resolution[] resolutions { get { throw null; } }
        public static void SetResolution(int width, int height, bool fullscreen) { }
    }

    public enum CursorLockMode { None = 0, Locked = 1, Confined = 2 }

    public static class Cursor
    {
        public static bool visible { get; set; }
        public static CursorLockMode lockState { get; set; }
    }

    public static class PlayerPrefs
    {
        public static void SetInt(string key, int value) { }
        public static int GetInt(string key) { throw null; }
        public static int GetInt(string key, int defaultValue) { throw null; }
        public static void SetFloat(string key, float value) { }
        public static float GetFloat(string key) { throw null; }
        public static float GetFloat(string key, float defaultValue) { throw null; }
        public static void SetString(string key, string value) { }
        public static string GetString(string key) { throw null; }
        public static string GetString(string key, string defaultValue) { throw null; }
        public static bool HasKey(string key) { throw null; }
        public static void DeleteKey(string key) { }
        public static void DeleteAll() { }
        public static void Save() { }
    }

    public static class Random
    {
        public static float Range(float minInclusive, float maxInclusive) { throw null; }
        public static int Range(int minInclusive, int maxExclusive) { throw null; }
        public static float value { get { throw null; } }
        public static Vector3 insideUnitSphere { get { throw null; } }
        public static Vector2 insideUnitCircle { get { throw null; } }
        public static Vector3 onUnitSphere { get { throw null; } }
        public static Quaternion rotation { get { throw null; } }
        public static Quaternion rotationUniform { get { throw null; } }
        public static void InitState(int seed) { }
        public static Color ColorHSV() { throw null; }
        public static Color ColorHSV(float hueMin, float hueMax) { throw null; }
        public static Color ColorHSV(float hueMin, float hueMax, float saturationMin, float saturationMax, float valueMin, float valueMax) { throw null; }
    }

    public struct LayerMask
    {
        public int value { get { throw null; } set { } }
        public static implicit operator int(LayerMask mask) { throw null; }
        public static implicit operator LayerMask(int intVal) { throw null; }
        public static int GetMask(params string[] layerNames) { throw null; }
        public static int NameToLayer(string layerName) { throw null; }
        public static string LayerToName(int layer) { throw null; }
    }

    public static class JsonUtility
    {
        public static string ToJson(object obj) { throw null; }
        public static string ToJson(object obj, bool prettyPrint) { throw null; }
        public static T FromJson<T>(string json) { throw null; }
        public static object FromJson(string json, Type type) { throw null; }
        public static void FromJsonOverwrite(string json, object objectToOverwrite) { }
    }

    public static class Resources
    {
        public static Object Load(string path) { throw null; }
        public static Object Load(string path, Type systemTypeInstance) { throw null; }
        public static T Load<T>(string path) where T : Object { throw null; }
        public static T[] LoadAll<T>(string path) where T : Object { throw null; }
        public static Object[] LoadAll(string path) { throw null; }
        public static ResourceRequest LoadAsync<T>(string path) where T : Object { throw null; }
        public static ResourceRequest LoadAsync(string path) { throw null; }
        public static AsyncOperation UnloadUnusedAssets() { throw null; }
        public static void UnloadAsset(Object assetToUnload) { }
    }

    public class ResourceRequest : AsyncOperation
    {
        public Object asset { get { throw null; } }
    }
}

namespace UnityEngine.Serialization
{
    [AttributeUsage(AttributeTargets.Field, AllowMultiple = true, Inherited = false)]
    public class FormerlySerializedAsAttribute : Attribute
    {
        public FormerlySerializedAsAttribute(string oldName) { }
        public string oldName { get { throw null; } }
    }
}
