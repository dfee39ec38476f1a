"""A camera photo is bigger than the app's 1 MB request limit: uploads get their own."""

import io

from PIL import Image

from ponte.extensions import db
from publications.models import Media
from workshops import services as workshop_services


def test_a_four_megabyte_camera_photo_is_accepted(client, make_workshop):
    workshop_services.create_account("staff@test.example", "Staff", "a long password", role="staff")
    db.session.commit()
    client.post("/login", data={"email": "staff@test.example", "password": "a long password"})
    workshop = make_workshop()
    image = Image.effect_noise((1800, 1800), 100).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=100)
    assert buffer.tell() > 1024 * 1024
    response = client.post(
        f"/workshops/{workshop.id}/photos",
        data={
            "photo": (io.BytesIO(buffer.getvalue()), "room.jpg"),
            "caption": "Room",
            "consent": "named",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert db.session.scalar(db.select(Media).where(Media.workshop_id == workshop.id)) is not None


def test_the_upload_limit_is_raised_before_csrf_reads_the_form(app, client, make_workshop):
    app.config["WTF_CSRF_ENABLED"] = True
    workshop = make_workshop()
    big = io.BytesIO(b"\xff" * (2 * 1024 * 1024))
    response = client.post(
        f"/workshops/{workshop.id}/photos",
        data={"photo": (big, "room.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400  # refused for the missing CSRF token, not 413
