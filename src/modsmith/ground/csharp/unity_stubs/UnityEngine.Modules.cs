// Reference-only stand-in for the public UnityEngine scripting API (see UnityEngine.cs): scene
// management, UnityEvent, a few uGUI components and the navigation agent. In Unity the uGUI types come
// from a package assembly (UnityEngine.UI.dll); here they share the one stub assembly.

using System.Collections.Generic;

namespace UnityEngine.Events
{
    public delegate void UnityAction();
    public delegate void UnityAction<T0>(T0 arg0);
    public delegate void UnityAction<T0, T1>(T0 arg0, T1 arg1);
    public delegate void UnityAction<T0, T1, T2>(T0 arg0, T1 arg1, T2 arg2);
    public delegate void UnityAction<T0, T1, T2, T3>(T0 arg0, T1 arg1, T2 arg2, T3 arg3);

    public abstract class UnityEventBase
    {
        public int GetPersistentEventCount() { throw null; }
        public string GetPersistentMethodName(int index) { throw null; }
        public void RemoveAllListeners() { }
    }

    [System.Serializable]
    public class UnityEvent : UnityEventBase
    {
        public void AddListener(UnityAction call) { }
        public void RemoveListener(UnityAction call) { }
        public void Invoke() { }
    }

    [System.Serializable]
    public class UnityEvent<T0> : UnityEventBase
    {
        public void AddListener(UnityAction<T0> call) { }
        public void RemoveListener(UnityAction<T0> call) { }
        public void Invoke(T0 arg0) { }
    }

    [System.Serializable]
    public class UnityEvent<T0, T1> : UnityEventBase
    {
        public void AddListener(UnityAction<T0, T1> call) { }
        public void RemoveListener(UnityAction<T0, T1> call) { }
        public void Invoke(T0 arg0, T1 arg1) { }
    }

    [System.Serializable]
    public class UnityEvent<T0, T1, T2> : UnityEventBase
    {
        public void AddListener(UnityAction<T0, T1, T2> call) { }
        public void RemoveListener(UnityAction<T0, T1, T2> call) { }
        public void Invoke(T0 arg0, T1 arg1, T2 arg2) { }
    }

    public class UnityEvent<T0, T1, T2, T3> : UnityEventBase
    {
        public void AddListener(UnityAction<T0, T1, T2, T3> call) { }
        public void RemoveListener(UnityAction<T0, T1, T2, T3> call) { }
        public void Invoke(T0 arg0, T1 arg1, T2 arg2, T3 arg3) { }
    }
}

namespace UnityEngine.SceneManagement
{
    public enum LoadSceneMode { Single = 0, Additive = 1 }

    public struct Scene
    {
        public string name { get { throw null; } }
        public string path { get { throw null; } }
        public int buildIndex { get { throw null; } }
        public bool isLoaded { get { throw null; } }
        public int rootCount { get { throw null; } }
        public bool IsValid() { throw null; }
        public GameObject[] GetRootGameObjects() { throw null; }
        public void GetRootGameObjects(List<GameObject> rootGameObjects) { }
        public static bool operator ==(Scene lhs, Scene rhs) { throw null; }
        public static bool operator !=(Scene lhs, Scene rhs) { throw null; }
        public override bool Equals(object other) { throw null; }
        public override int GetHashCode() { throw null; }
    }

    public class SceneManager
    {
        public static int sceneCount { get { throw null; } }
        public static int sceneCountInBuildSettings { get { throw null; } }
        public static event Events.UnityAction<Scene, LoadSceneMode> sceneLoaded;
        public static event Events.UnityAction<Scene> sceneUnloaded;
        public static event Events.UnityAction<Scene, Scene> activeSceneChanged;

        public static void LoadScene(string sceneName) { }
        public static void LoadScene(int sceneBuildIndex) { }
        public static void LoadScene(string sceneName, LoadSceneMode mode) { }
        public static void LoadScene(int sceneBuildIndex, LoadSceneMode mode) { }
        public static AsyncOperation LoadSceneAsync(string sceneName) { throw null; }
        public static AsyncOperation LoadSceneAsync(int sceneBuildIndex) { throw null; }
        public static AsyncOperation LoadSceneAsync(string sceneName, LoadSceneMode mode) { throw null; }
        public static AsyncOperation LoadSceneAsync(int sceneBuildIndex, LoadSceneMode mode) { throw null; }
        public static AsyncOperation UnloadSceneAsync(string sceneName) { throw null; }
        public static AsyncOperation UnloadSceneAsync(int sceneBuildIndex) { throw null; }
        public static AsyncOperation UnloadSceneAsync(Scene scene) { throw null; }
        public static Scene GetActiveScene() { throw null; }
        public static bool SetActiveScene(Scene scene) { throw null; }
        public static Scene GetSceneByName(string name) { throw null; }
        public static Scene GetSceneByBuildIndex(int buildIndex) { throw null; }
        public static Scene GetSceneAt(int index) { throw null; }
        public static void MoveGameObjectToScene(GameObject go, Scene scene) { }
    }
}

namespace UnityEngine.EventSystems
{
    public abstract class UIBehaviour : MonoBehaviour
    {
        public virtual bool IsActive() { throw null; }
    }
}

namespace UnityEngine.UI
{
    using UnityEngine.Events;
    using UnityEngine.EventSystems;

    public abstract class Graphic : UIBehaviour
    {
        public virtual Color color { get; set; }
        public virtual bool raycastTarget { get; set; }
        public RectTransform rectTransform { get { throw null; } }
        public virtual void CrossFadeAlpha(float alpha, float duration, bool ignoreTimeScale) { }
        public virtual void CrossFadeColor(Color targetColor, float duration, bool ignoreTimeScale, bool useAlpha) { }
        public virtual Material material { get; set; }
        public Canvas canvas { get { throw null; } }
        public virtual void SetAllDirty() { }
        public virtual void SetLayoutDirty() { }
        public virtual void SetVerticesDirty() { }
        public virtual void SetMaterialDirty() { }
        public void RegisterDirtyLayoutCallback(UnityAction action) { }
        public void UnregisterDirtyLayoutCallback(UnityAction action) { }
        public void RegisterDirtyVerticesCallback(UnityAction action) { }
        public void UnregisterDirtyVerticesCallback(UnityAction action) { }
        public void RegisterDirtyMaterialCallback(UnityAction action) { }
        public void UnregisterDirtyMaterialCallback(UnityAction action) { }
    }

    public abstract class MaskableGraphic : Graphic { }

    public class Text : MaskableGraphic
    {
        public virtual string text { get; set; }
        public int fontSize { get; set; }
        public TextAnchor alignment { get; set; }
    }

    public class Image : MaskableGraphic
    {
        public enum Type { Simple = 0, Sliced = 1, Tiled = 2, Filled = 3 }
        public Sprite sprite { get; set; }
        public Type type { get; set; }
        public float fillAmount { get; set; }
        public bool preserveAspect { get; set; }
        public void SetNativeSize() { }
    }

    public class RawImage : MaskableGraphic
    {
        public Texture texture { get; set; }
        public Rect uvRect { get; set; }
    }

    public class Selectable : UIBehaviour
    {
        public bool interactable { get; set; }
        public Graphic targetGraphic { get; set; }
        public virtual void Select() { }
    }

    public class Button : Selectable
    {
        public class ButtonClickedEvent : UnityEvent { }
        public ButtonClickedEvent onClick { get; set; }
    }

    public class Toggle : Selectable
    {
        public class ToggleEvent : UnityEvent<bool> { }
        public bool isOn { get; set; }
        public ToggleEvent onValueChanged { get; set; }
    }

    public class Slider : Selectable
    {
        public class SliderEvent : UnityEvent<float> { }
        public float value { get; set; }
        public float minValue { get; set; }
        public float maxValue { get; set; }
        public bool wholeNumbers { get; set; }
        public float normalizedValue { get; set; }
        public SliderEvent onValueChanged { get; set; }
    }

    public class InputField : Selectable
    {
        public class SubmitEvent : UnityEvent<string> { }
        public class OnChangeEvent : UnityEvent<string> { }
        public string text { get; set; }
        public SubmitEvent onEndEdit { get; set; }
        public OnChangeEvent onValueChanged { get; set; }
    }
}

namespace UnityEngine
{
    public enum TextAnchor { UpperLeft = 0, UpperCenter = 1, UpperRight = 2, MiddleLeft = 3, MiddleCenter = 4, MiddleRight = 5, LowerLeft = 6, LowerCenter = 7, LowerRight = 8 }

    public sealed class RectTransform : Transform
    {
        public Vector2 anchoredPosition { get; set; }
        public Vector2 sizeDelta { get; set; }
        public Vector2 anchorMin { get; set; }
        public Vector2 anchorMax { get; set; }
        public Vector2 pivot { get; set; }
        public Rect rect { get { throw null; } }
        public Vector2 offsetMin { get; set; }
        public Vector2 offsetMax { get; set; }
        public Vector3 anchoredPosition3D { get; set; }
        public enum Axis { Horizontal = 0, Vertical = 1 }
        public enum Edge { Left = 0, Right = 1, Top = 2, Bottom = 3 }
        public void SetSizeWithCurrentAnchors(Axis axis, float size) { }
        public void SetInsetAndSizeFromParentEdge(Edge edge, float inset, float size) { }
        public void GetLocalCorners(Vector3[] fourCornersArray) { }
        public void GetWorldCorners(Vector3[] fourCornersArray) { }
        public void ForceUpdateRectTransforms() { }
    }

    public sealed class Canvas : Behaviour
    {
        public int sortingOrder { get; set; }
        public float scaleFactor { get; set; }
    }

    public sealed class CanvasGroup : Behaviour
    {
        public float alpha { get; set; }
        public bool interactable { get; set; }
        public bool blocksRaycasts { get; set; }
    }
}

namespace UnityEngine.AI
{
    public sealed class NavMeshAgent : Behaviour
    {
        public Vector3 destination { get; set; }
        public float speed { get; set; }
        public float angularSpeed { get; set; }
        public float acceleration { get; set; }
        public float stoppingDistance { get; set; }
        public float remainingDistance { get { throw null; } }
        public bool isStopped { get; set; }
        public bool hasPath { get { throw null; } }
        public bool pathPending { get { throw null; } }
        public bool isOnNavMesh { get { throw null; } }
        public bool updateRotation { get; set; }
        public Vector3 velocity { get; set; }
        public bool SetDestination(Vector3 target) { throw null; }
        public void ResetPath() { }
        public bool Warp(Vector3 newPosition) { throw null; }
    }
}
