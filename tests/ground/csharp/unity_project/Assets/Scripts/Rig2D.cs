using System.Collections.Generic;
using UnityEngine;
using UnityEngine.EventSystems;

public class Rig2D : MonoBehaviour, IPointerClickHandler
{
    public Rigidbody2D body;
    public HingeJoint2D hinge;
    public TargetJoint2D grab;
    public RelativeJoint2D follow;
    public CustomCollider2D shape;
    public PhysicsMaterial2D slippery;
    public AnimationCurve ease = AnimationCurve.EaseInOut(0f, 0f, 1f, 1f);
    public TextMesh caption;
    public SkinnedMeshRenderer skin;
    public Mesh gizmo;
    readonly List<Collider2D> touching = new List<Collider2D>();

    void FixedUpdate()
    {
        JointMotor2D motor = hinge.motor;
        motor.motorSpeed = 90f * ease.Evaluate(Time.time % 1f);
        hinge.motor = motor;
        hinge.useMotor = true;
        grab.target = body.worldCenterOfMass + Vector2.up;
        follow.linearOffset = Vector2.right;
        body.sharedMaterial = slippery;
        body.useAutoMass = true;
        body.GetComponent<Collider2D>().density = 2f;

        var slide = new Rigidbody2D.SlideMovement();
        slide.maxIterations = 3;
        Rigidbody2D.SlideResults result = body.Slide(Vector2.right, Time.fixedDeltaTime, slide);
        caption.text = result.iterationsUsed.ToString();

        ContactFilter2D filter = new ContactFilter2D();
        filter.SetLayerMask(LayerMask.GetMask("Ground"));
        body.OverlapCollider(filter, touching);

        var group = new PhysicsShapeGroup2D();
        group.AddBox(Vector2.zero, Vector2.one);
        shape.SetCustomShapes(group);
        if (skin.rootBone == null) skin.rootBone = skin.bones[0];
    }

    public void OnPointerClick(PointerEventData eventData)
    {
        Vector2 local;
        RectTransformUtility.ScreenPointToLocalPointInRectangle(
            (RectTransform)transform, eventData.position, null, out local);
        if (EventSystem.current.IsPointerOverGameObject()) caption.text = local.ToString();
        gameObject.AddComponent<FixedJoint>().connectedBody = GetComponent<Rigidbody>();
    }

    void OnDrawGizmos()
    {
        Gizmos.DrawMesh(gizmo, transform.position);
    }
}
