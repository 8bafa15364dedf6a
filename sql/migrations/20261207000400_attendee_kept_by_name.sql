-- Deleting a contact sets meeting_attendees.contact_id to null (the meeting's history keeps who
-- came). An attendee added from a contact without an email then broke
-- check_meeting_attendees_contact_or_user and the delete was a 500. An attendee is a name
-- (check_meeting_attendees_name_not_blank), optionally linked to a contact or a user.
alter table crm.meeting_attendees drop constraint check_meeting_attendees_contact_or_user;
