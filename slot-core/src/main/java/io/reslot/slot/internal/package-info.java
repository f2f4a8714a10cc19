/**
 * Implementation helpers shared by reslot modules. Public only so that other reslot modules can use them: this
 * package carries no compatibility guarantees and may change in any release.
 */
package io.reslot.slot.internal;
