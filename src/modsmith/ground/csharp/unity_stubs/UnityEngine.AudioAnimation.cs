// Reference-only stand-in for the public UnityEngine scripting API (see UnityEngine.cs): audio
// playback and the Animator.

namespace UnityEngine
{
    public sealed class AudioClip : Object
    {
        public float length { get { throw null; } }
        public int samples { get { throw null; } }
        public int channels { get { throw null; } }
        public int frequency { get { throw null; } }
        public AudioDataLoadState loadState { get { throw null; } }
        public bool loadInBackground { get { throw null; } }
        public bool preloadAudioData { get { throw null; } }
        public bool LoadAudioData() { throw null; }
        public bool UnloadAudioData() { throw null; }
        public bool GetData(float[] data, int offsetSamples) { throw null; }
        public bool SetData(float[] data, int offsetSamples) { throw null; }
        public static AudioClip Create(string name, int lengthSamples, int channels, int frequency, bool stream) { throw null; }
    }

    public enum AudioDataLoadState { Unloaded = 0, Loading = 1, Loaded = 2, Failed = 3 }

    public sealed class AudioSource : Behaviour
    {
        public AudioClip clip { get; set; }
        public int timeSamples { get; set; }
        public float volume { get; set; }
        public float pitch { get; set; }
        public bool loop { get; set; }
        public bool mute { get; set; }
        public bool playOnAwake { get; set; }
        public bool isPlaying { get { throw null; } }
        public float time { get; set; }
        public float spatialBlend { get; set; }
        public float panStereo { get; set; }
        public float minDistance { get; set; }
        public float maxDistance { get; set; }
        public int priority { get; set; }

        public void Play() { }
        public void Play(ulong delay) { }
        public void PlayDelayed(float delay) { }
        public void PlayScheduled(double time) { }
        public void Stop() { }
        public void Pause() { }
        public void UnPause() { }
        public void PlayOneShot(AudioClip clip) { }
        public void PlayOneShot(AudioClip clip, float volumeScale) { }
        public static void PlayClipAtPoint(AudioClip clip, Vector3 position) { }
        public static void PlayClipAtPoint(AudioClip clip, Vector3 position, float volume) { }
    }

    public sealed class AudioListener : Behaviour
    {
        public static float volume { get; set; }
        public static bool pause { get; set; }
    }

    public class RuntimeAnimatorController : Object { }

    public sealed class AnimationClip : Object
    {
        public float length { get { throw null; } }
        public float frameRate { get; set; }
    }

    public struct AnimatorStateInfo
    {
        public bool IsName(string name) { throw null; }
        public bool IsTag(string tag) { throw null; }
        public int fullPathHash { get { throw null; } }
        public int shortNameHash { get { throw null; } }
        public float normalizedTime { get { throw null; } }
        public float length { get { throw null; } }
        public float speed { get { throw null; } }
        public bool loop { get { throw null; } }
    }

    public class Animator : Behaviour
    {
        public float speed { get; set; }
        public bool applyRootMotion { get; set; }
        public RuntimeAnimatorController runtimeAnimatorController { get; set; }
        public bool isInitialized { get { throw null; } }
        public int layerCount { get { throw null; } }

        public void SetBool(string name, bool value) { }
        public void SetBool(int id, bool value) { }
        public bool GetBool(string name) { throw null; }
        public bool GetBool(int id) { throw null; }
        public void SetFloat(string name, float value) { }
        public void SetFloat(string name, float value, float dampTime, float deltaTime) { }
        public void SetFloat(int id, float value) { }
        public void SetFloat(int id, float value, float dampTime, float deltaTime) { }
        public float GetFloat(string name) { throw null; }
        public float GetFloat(int id) { throw null; }
        public void SetInteger(string name, int value) { }
        public void SetInteger(int id, int value) { }
        public int GetInteger(string name) { throw null; }
        public int GetInteger(int id) { throw null; }
        public void SetTrigger(string name) { }
        public void SetTrigger(int id) { }
        public void ResetTrigger(string name) { }
        public void ResetTrigger(int id) { }
        public void Play(string stateName) { }
        public void Play(string stateName, int layer) { }
        public void Play(string stateName, int layer, float normalizedTime) { }
        public void Play(int stateNameHash) { }
        public void Play(int stateNameHash, int layer) { }
        public void Play(int stateNameHash, int layer, float normalizedTime) { }
        public void CrossFade(string stateName, float normalizedTransitionDuration) { }
        public void CrossFade(string stateName, float normalizedTransitionDuration, int layer) { }
        public void CrossFade(int stateHashName, float normalizedTransitionDuration) { }
        public AnimatorStateInfo GetCurrentAnimatorStateInfo(int layerIndex) { throw null; }
        public float GetLayerWeight(int layerIndex) { throw null; }
        public void SetLayerWeight(int layerIndex, float weight) { }
        public void Rebind() { }
        public static int StringToHash(string name) { throw null; }
    }
}
