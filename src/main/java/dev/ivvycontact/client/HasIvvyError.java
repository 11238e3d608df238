package dev.ivvycontact.client;

import java.util.Optional;

/** A failure of an iVvy call that may carry what iVvy answered (its error and specific codes). */
public interface HasIvvyError {

    /** iVvy's error, when it answered with one. */
    Optional<IvvyError> ivvyError();
}
