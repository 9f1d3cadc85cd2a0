// Reference-only stand-in for the public UnityEngine scripting API (see UnityEngine.cs): the event
// system, curves, 3D text, animator state behaviours, rendering enums, web requests and the
// JetBrains annotations Unity ships, written from Unity's Scripting Reference.

using System;
using System.Collections.Generic;

namespace UnityEngine
{
    public enum WrapMode { Once = 1, Loop = 2, PingPong = 4, Default = 0, ClampForever = 8 }
    public enum FontStyle { Normal = 0, Bold = 1, Italic = 2, BoldAndItalic = 3 }
    public enum TextAlignment { Left = 0, Center = 1, Right = 2 }

    public struct Keyframe
    {
        public Keyframe(float time, float value) : this() { }
        public Keyframe(float time, float value, float inTangent, float outTangent) : this() { }
        public float time { get; set; }
        public float value { get; set; }
        public float inTangent { get; set; }
        public float outTangent { get; set; }
        public float inWeight { get; set; }
        public float outWeight { get; set; }
    }

    [Serializable]
    public class AnimationCurve
    {
        public AnimationCurve() { }
        public AnimationCurve(params Keyframe[] keys) { }
        public Keyframe[] keys { get; set; }
        public int length { get { throw null; } }
        public Keyframe this[int index] { get { throw null; } }
        public WrapMode preWrapMode { get; set; }
        public WrapMode postWrapMode { get; set; }
        public float Evaluate(float time) { throw null; }
        public int AddKey(float time, float value) { throw null; }
        public int AddKey(Keyframe key) { throw null; }
        public int MoveKey(int index, Keyframe key) { throw null; }
        public void RemoveKey(int index) { }
        public void SmoothTangents(int index, float weight) { }
        public void ClearKeys() { }
        public static AnimationCurve Linear(float timeStart, float valueStart, float timeEnd, float valueEnd) { throw null; }
        public static AnimationCurve EaseInOut(float timeStart, float valueStart, float timeEnd, float valueEnd) { throw null; }
        public static AnimationCurve Constant(float timeStart, float timeEnd, float value) { throw null; }
    }

    public sealed class Font : Object
    {
        public Font() { }
        public Font(string name) { }
        public Material material { get; set; }
        public int fontSize { get { throw null; } }
        public static Font CreateDynamicFontFromOSFont(string fontname, int size) { throw null; }
    }

    public sealed class TextMesh : Component
    {
        public string text { get; set; }
        public Font font { get; set; }
        public int fontSize { get; set; }
        public FontStyle fontStyle { get; set; }
        public float offsetZ { get; set; }
        public TextAlignment alignment { get; set; }
        public TextAnchor anchor { get; set; }
        public float characterSize { get; set; }
        public float lineSpacing { get; set; }
        public float tabSize { get; set; }
        public bool richText { get; set; }
        public Color color { get; set; }
    }

    public abstract class StateMachineBehaviour : ScriptableObject
    {
        public virtual void OnStateEnter(Animator animator, AnimatorStateInfo stateInfo, int layerIndex) { }
        public virtual void OnStateUpdate(Animator animator, AnimatorStateInfo stateInfo, int layerIndex) { }
        public virtual void OnStateExit(Animator animator, AnimatorStateInfo stateInfo, int layerIndex) { }
        public virtual void OnStateMove(Animator animator, AnimatorStateInfo stateInfo, int layerIndex) { }
        public virtual void OnStateIK(Animator animator, AnimatorStateInfo stateInfo, int layerIndex) { }
        public virtual void OnStateMachineEnter(Animator animator, int stateMachinePathHash) { }
        public virtual void OnStateMachineExit(Animator animator, int stateMachinePathHash) { }
    }

    public sealed class RectTransformUtility
    {
        public static bool RectangleContainsScreenPoint(RectTransform rect, Vector2 screenPoint) { throw null; }
        public static bool RectangleContainsScreenPoint(RectTransform rect, Vector2 screenPoint, Camera cam) { throw null; }
        public static bool ScreenPointToLocalPointInRectangle(RectTransform rect, Vector2 screenPoint, Camera cam, out Vector2 localPoint) { throw null; }
        public static bool ScreenPointToWorldPointInRectangle(RectTransform rect, Vector2 screenPoint, Camera cam, out Vector3 worldPoint) { throw null; }
        public static Vector2 WorldToScreenPoint(Camera cam, Vector3 worldPoint) { throw null; }
        public static Ray ScreenPointToRay(Camera cam, Vector2 screenPos) { throw null; }
        public static Vector2 PixelAdjustPoint(Vector2 point, Transform elementTransform, Canvas canvas) { throw null; }
        public static Rect PixelAdjustRect(RectTransform rectTransform, Canvas canvas) { throw null; }
        public static Bounds CalculateRelativeRectTransformBounds(Transform trans) { throw null; }
        public static Bounds CalculateRelativeRectTransformBounds(Transform root, Transform child) { throw null; }
        public static void FlipLayoutOnAxis(RectTransform rect, int axis, bool keepPositioning, bool recursive) { }
    }
}

namespace UnityEngine.Rendering
{
    public enum ShadowCastingMode { Off = 0, On = 1, TwoSided = 2, ShadowsOnly = 3 }
    public enum BlendMode { Zero = 0, One = 1, DstColor = 2, SrcColor = 3, OneMinusDstColor = 4, SrcAlpha = 5, OneMinusSrcColor = 6, DstAlpha = 7, OneMinusDstAlpha = 8, SrcAlphaSaturate = 9, OneMinusSrcAlpha = 10 }
    public enum CompareFunction { Disabled = 0, Never = 1, Less = 2, Equal = 3, LessEqual = 4, Greater = 5, NotEqual = 6, GreaterEqual = 7, Always = 8 }
    public enum ReflectionProbeUsage { Off = 0, BlendProbes = 1, BlendProbesAndSkybox = 2, Simple = 3 }

    public sealed class SortingGroup : Behaviour
    {
        public string sortingLayerName { get; set; }
        public int sortingLayerID { get; set; }
        public int sortingOrder { get; set; }
    }

    public class Volume : MonoBehaviour
    {
        public float weight { get; set; }
        public float priority { get; set; }
        public bool isGlobal { get; set; }
    }
}

namespace UnityEngine.EventSystems
{
    public enum EventHandle { Unused = 0, Used = 1 }
    public enum MoveDirection { Left = 0, Up = 1, Right = 2, Down = 3, None = 4 }

    public interface IEventSystemHandler { }
    public interface IPointerEnterHandler : IEventSystemHandler { void OnPointerEnter(PointerEventData eventData); }
    public interface IPointerExitHandler : IEventSystemHandler { void OnPointerExit(PointerEventData eventData); }
    public interface IPointerDownHandler : IEventSystemHandler { void OnPointerDown(PointerEventData eventData); }
    public interface IPointerUpHandler : IEventSystemHandler { void OnPointerUp(PointerEventData eventData); }
    public interface IPointerClickHandler : IEventSystemHandler { void OnPointerClick(PointerEventData eventData); }
    public interface IPointerMoveHandler : IEventSystemHandler { void OnPointerMove(PointerEventData eventData); }
    public interface IInitializePotentialDragHandler : IEventSystemHandler { void OnInitializePotentialDrag(PointerEventData eventData); }
    public interface IBeginDragHandler : IEventSystemHandler { void OnBeginDrag(PointerEventData eventData); }
    public interface IDragHandler : IEventSystemHandler { void OnDrag(PointerEventData eventData); }
    public interface IEndDragHandler : IEventSystemHandler { void OnEndDrag(PointerEventData eventData); }
    public interface IDropHandler : IEventSystemHandler { void OnDrop(PointerEventData eventData); }
    public interface IScrollHandler : IEventSystemHandler { void OnScroll(PointerEventData eventData); }
    public interface IUpdateSelectedHandler : IEventSystemHandler { void OnUpdateSelected(BaseEventData eventData); }
    public interface ISelectHandler : IEventSystemHandler { void OnSelect(BaseEventData eventData); }
    public interface IDeselectHandler : IEventSystemHandler { void OnDeselect(BaseEventData eventData); }
    public interface IMoveHandler : IEventSystemHandler { void OnMove(AxisEventData eventData); }
    public interface ISubmitHandler : IEventSystemHandler { void OnSubmit(BaseEventData eventData); }
    public interface ICancelHandler : IEventSystemHandler { void OnCancel(BaseEventData eventData); }

    public abstract class AbstractEventData
    {
        public virtual bool used { get { throw null; } }
        public virtual void Reset() { }
        public virtual void Use() { }
    }

    public class BaseEventData : AbstractEventData
    {
        public BaseEventData(EventSystem eventSystem) { }
        public GameObject selectedObject { get; set; }
        public BaseInputModule currentInputModule { get { throw null; } }
    }

    public class AxisEventData : BaseEventData
    {
        public AxisEventData(EventSystem eventSystem) : base(eventSystem) { }
        public Vector2 moveVector { get; set; }
        public MoveDirection moveDir { get; set; }
    }

    public struct RaycastResult
    {
        public GameObject gameObject { get; set; }
        public BaseRaycaster module;
        public float distance;
        public float index;
        public int depth;
        public int sortingLayer;
        public int sortingOrder;
        public Vector3 worldPosition;
        public Vector3 worldNormal;
        public Vector2 screenPosition;
        public int displayIndex;
        public bool isValid { get { throw null; } }
        public void Clear() { }
    }

    public class PointerEventData : BaseEventData
    {
        public enum InputButton { Left = 0, Right = 1, Middle = 2 }
        public enum FramePressState { Pressed = 0, Released = 1, PressedAndReleased = 2, NotChanged = 3 }
        public PointerEventData(EventSystem eventSystem) : base(eventSystem) { }
        public GameObject pointerEnter { get; set; }
        public GameObject lastPress { get { throw null; } }
        public GameObject rawPointerPress { get; set; }
        public GameObject pointerDrag { get; set; }
        public GameObject pointerClick { get; set; }
        public GameObject pointerPress { get; set; }
        public RaycastResult pointerCurrentRaycast { get; set; }
        public RaycastResult pointerPressRaycast { get; set; }
        public List<GameObject> hovered;
        public bool eligibleForClick { get; set; }
        public int pointerId { get; set; }
        public Vector2 position { get; set; }
        public Vector2 delta { get; set; }
        public Vector2 pressPosition { get; set; }
        public float clickTime { get; set; }
        public int clickCount { get; set; }
        public Vector2 scrollDelta { get; set; }
        public bool useDragThreshold { get; set; }
        public bool dragging { get; set; }
        public InputButton button { get; set; }
        public Camera enterEventCamera { get { throw null; } }
        public Camera pressEventCamera { get { throw null; } }
        public bool IsPointerMoving() { throw null; }
        public bool IsScrolling() { throw null; }
    }

    public abstract class BaseInputModule : UIBehaviour
    {
        public BaseInput input { get { throw null; } }
        public abstract void Process();
        public virtual bool IsPointerOverGameObject(int pointerId) { throw null; }
    }

    public class BaseInput : UIBehaviour
    {
        public virtual Vector2 mousePosition { get { throw null; } }
        public virtual bool GetMouseButtonDown(int button) { throw null; }
    }

    public class StandaloneInputModule : BaseInputModule
    {
        public override void Process() { }
        public string horizontalAxis { get; set; }
        public string verticalAxis { get; set; }
        public string submitButton { get; set; }
        public string cancelButton { get; set; }
    }

    public abstract class BaseRaycaster : UIBehaviour
    {
        public abstract Camera eventCamera { get; }
        public abstract void Raycast(PointerEventData eventData, List<RaycastResult> resultAppendList);
    }

    public class PhysicsRaycaster : BaseRaycaster
    {
        public override Camera eventCamera { get { throw null; } }
        public override void Raycast(PointerEventData eventData, List<RaycastResult> resultAppendList) { }
    }

    public class Physics2DRaycaster : PhysicsRaycaster { }

    public class EventSystem : UIBehaviour
    {
        public static EventSystem current { get; set; }
        public bool sendNavigationEvents { get; set; }
        public int pixelDragThreshold { get; set; }
        public BaseInputModule currentInputModule { get { throw null; } }
        public GameObject firstSelectedGameObject { get; set; }
        public GameObject currentSelectedGameObject { get { throw null; } }
        public bool alreadySelecting { get { throw null; } }
        public bool isFocused { get { throw null; } }
        public void SetSelectedGameObject(GameObject selected) { }
        public void SetSelectedGameObject(GameObject selected, BaseEventData pointer) { }
        public void RaycastAll(PointerEventData eventData, List<RaycastResult> raycastResults) { }
        public bool IsPointerOverGameObject() { throw null; }
        public bool IsPointerOverGameObject(int pointerId) { throw null; }
        public void UpdateModules() { }
    }

    public class EventTrigger : MonoBehaviour
    {
        public enum EventTriggerType { PointerEnter = 0, PointerExit = 1, PointerDown = 2, PointerUp = 3, PointerClick = 4, Drag = 5, Drop = 6, Scroll = 7, UpdateSelected = 8, Select = 9, Deselect = 10, Move = 11, InitializePotentialDrag = 12, BeginDrag = 13, EndDrag = 14, Submit = 15, Cancel = 16 }
        public class TriggerEvent : UnityEngine.Events.UnityEvent<BaseEventData> { }
        public class Entry
        {
            public EventTriggerType eventID;
            public TriggerEvent callback;
        }
        public List<Entry> triggers { get; set; }
    }

    public static class ExecuteEvents
    {
        public delegate void EventFunction<T1>(T1 handler, BaseEventData eventData);
        public static EventFunction<IPointerClickHandler> pointerClickHandler { get { throw null; } }
        public static EventFunction<IPointerDownHandler> pointerDownHandler { get { throw null; } }
        public static EventFunction<IPointerUpHandler> pointerUpHandler { get { throw null; } }
        public static EventFunction<IPointerEnterHandler> pointerEnterHandler { get { throw null; } }
        public static EventFunction<IPointerExitHandler> pointerExitHandler { get { throw null; } }
        public static EventFunction<ISubmitHandler> submitHandler { get { throw null; } }
        public static bool Execute<T>(GameObject target, BaseEventData eventData, EventFunction<T> functor) where T : IEventSystemHandler { throw null; }
        public static GameObject ExecuteHierarchy<T>(GameObject root, BaseEventData eventData, EventFunction<T> callbackFunction) where T : IEventSystemHandler { throw null; }
    }
}

namespace UnityEngine.Networking
{
    public class DownloadHandler : IDisposable
    {
        public string text { get { throw null; } }
        public byte[] data { get { throw null; } }
        public bool isDone { get { throw null; } }
        public string error { get { throw null; } }
        public void Dispose() { }
    }

    public sealed class DownloadHandlerBuffer : DownloadHandler { }

    public sealed class DownloadHandlerTexture : DownloadHandler
    {
        public DownloadHandlerTexture() { }
        public DownloadHandlerTexture(bool readable) { }
        public Texture2D texture { get { throw null; } }
        public static Texture2D GetContent(UnityWebRequest www) { throw null; }
    }

    public class UploadHandler : IDisposable
    {
        public string contentType { get; set; }
        public byte[] data { get { throw null; } }
        public void Dispose() { }
    }

    public sealed class UploadHandlerRaw : UploadHandler
    {
        public UploadHandlerRaw(byte[] data) { }
    }

    public class UnityWebRequestAsyncOperation : AsyncOperation
    {
        public UnityWebRequest webRequest { get { throw null; } }
    }

    public class UnityWebRequest : IDisposable
    {
        public enum Result { InProgress = 0, Success = 1, ConnectionError = 2, ProtocolError = 3, DataProcessingError = 4 }
        public const string kHttpVerbGET = "GET";
        public const string kHttpVerbPOST = "POST";
        public const string kHttpVerbPUT = "PUT";
        public const string kHttpVerbDELETE = "DELETE";
        public UnityWebRequest() { }
        public UnityWebRequest(string url) { }
        public UnityWebRequest(string url, string method) { }
        public UnityWebRequest(string url, string method, DownloadHandler downloadHandler, UploadHandler uploadHandler) { }
        public string url { get; set; }
        public string method { get; set; }
        public int timeout { get; set; }
        public string error { get { throw null; } }
        public Result result { get { throw null; } }
        public long responseCode { get { throw null; } }
        public bool isDone { get { throw null; } }
        [Obsolete("Use result")] public bool isNetworkError { get { throw null; } }
        [Obsolete("Use result")] public bool isHttpError { get { throw null; } }
        public float downloadProgress { get { throw null; } }
        public float uploadProgress { get { throw null; } }
        public ulong downloadedBytes { get { throw null; } }
        public DownloadHandler downloadHandler { get; set; }
        public UploadHandler uploadHandler { get; set; }
        public UnityWebRequestAsyncOperation SendWebRequest() { throw null; }
        public void SetRequestHeader(string name, string value) { }
        public string GetRequestHeader(string name) { throw null; }
        public string GetResponseHeader(string name) { throw null; }
        public Dictionary<string, string> GetResponseHeaders() { throw null; }
        public void Abort() { }
        public void Dispose() { }
        public static UnityWebRequest Get(string uri) { throw null; }
        public static UnityWebRequest Post(string uri, string postData) { throw null; }
        public static UnityWebRequest Post(string uri, WWWForm formData) { throw null; }
        public static UnityWebRequest Post(string uri, Dictionary<string, string> formFields) { throw null; }
        public static UnityWebRequest Put(string uri, string bodyData) { throw null; }
        public static UnityWebRequest Put(string uri, byte[] bodyData) { throw null; }
        public static UnityWebRequest Delete(string uri) { throw null; }
        public static UnityWebRequest Head(string uri) { throw null; }
        public static string EscapeURL(string s) { throw null; }
        public static string UnEscapeURL(string s) { throw null; }
    }

    public static class UnityWebRequestTexture
    {
        public static UnityWebRequest GetTexture(string uri) { throw null; }
        public static UnityWebRequest GetTexture(string uri, bool nonReadable) { throw null; }
    }
}

namespace UnityEngine
{
    public class WWWForm
    {
        public WWWForm() { }
        public void AddField(string fieldName, string value) { }
        public void AddField(string fieldName, int i) { }
        public void AddBinaryData(string fieldName, byte[] contents) { }
        public void AddBinaryData(string fieldName, byte[] contents, string fileName, string mimeType) { }
        public byte[] data { get { throw null; } }
    }
}

namespace JetBrains.Annotations
{
    [AttributeUsage(AttributeTargets.All)] public sealed class NotNullAttribute : Attribute { }
    [AttributeUsage(AttributeTargets.All)] public sealed class CanBeNullAttribute : Attribute { }
    [AttributeUsage(AttributeTargets.All)] public sealed class UsedImplicitlyAttribute : Attribute { }
    [AttributeUsage(AttributeTargets.All)] public sealed class PublicAPIAttribute : Attribute { }
    [AttributeUsage(AttributeTargets.All)] public sealed class PureAttribute : Attribute { }
    [AttributeUsage(AttributeTargets.All)] public sealed class MeansImplicitUseAttribute : Attribute { }
}
